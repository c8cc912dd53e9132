import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-style id: time-ordered (48-bit ms timestamp) then 80 random bits, Crockford base32.
 * Jan names threads `jan_<unix seconds>` and messages with ULIDs; time order keeps folder
 * listings and message files naturally sorted.
 */
export function newId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[bytes[i]! % 32];
  return time + random;
}

export function newThreadId(now = Date.now()): string {
  return `jan_${Math.floor(now / 1000)}_${newId(now).slice(10, 18).toLowerCase()}`;
}
