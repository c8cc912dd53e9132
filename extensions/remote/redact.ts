/** What a key is replaced with wherever text leaves the engine (errors, logs). */
export const REDACTED = '[redacted]';

/**
 * Removes the API key from a text: the key itself, and anything after "Bearer " in case a server
 * echoes an Authorization header with a key the engine no longer holds.
 */
export function redact(text: string, key: string | undefined): string {
  let clean = key && key.length >= 4 ? text.split(key).join(REDACTED) : text;
  clean = clean.replace(/(Bearer\s+)[^\s"',;()]+/gi, `$1${REDACTED}`);
  return clean;
}
