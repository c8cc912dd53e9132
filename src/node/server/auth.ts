import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

/** A new API key: 32 random bytes, URL-safe. */
export function generateApiKey(): string {
  return `jan-${randomBytes(32).toString('base64url')}`;
}

/**
 * Checks `Authorization: Bearer <key>` (or `x-api-key`) in constant time: both sides are hashed
 * first, so neither the key's length nor its bytes leak through timing.
 */
export function keyChecker(apiKey: string): (headers: Record<string, string | string[] | undefined>) => void {
  const expected = digest(apiKey);
  return (headers) => {
    const given = presentedKey(headers);
    if (given === undefined) {
      throw new ApiError(
        401,
        'Missing API key: send it as "Authorization: Bearer <key>".',
        'invalid_request_error',
        'missing_api_key',
      );
    }
    if (!timingSafeEqual(digest(given), expected))
      throw new ApiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  };
}

function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
