/**
 * The one redaction for text that leaves the process or reaches a person: errors, log lines,
 * notifications, refusals, HTTP error bodies. A URL keeps its scheme, host and path; user names,
 * passwords, query strings (tokens, signed-URL signatures) and fragments go, for every scheme and
 * also when the URL does not parse. Only the request itself ever uses the full URL.
 */
import type { Logger } from './logger';

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A URL with an authority (`scheme://…`) inside free text. */
const AUTHORITY_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
/** An `hf:` URI inside free text (it has no authority, and may carry `?token=`). */
const HF_URI = /\bhf:[^\s"'<>`]+/g;
/**
 * A path with a query or fragment (`/api/models?token=…`), as libraries quote a request without
 * its origin, or the rest of a URL that a space cut in two.
 */
const PATH_QUERY = /(^|[\s"'(=:])([^\s"'<>?#]*\/[^\s"'<>?#]*)[?#][^\s"'<>`]*/g;
/** `//user:password@`, whatever surrounds it: the last net for an authority the patterns above missed. */
const USERINFO = /\/\/[^\s"'<>/@]*@/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[^\s"',;()]+/gi;
const SECRET_PARAM = /\b(api[_-]?key|access[_-]?token|token|password|passwd|secret|signature|sig)=[^\s&"'<>]+/gi;
/** Punctuation that ends a sentence rather than the URL it follows. */
const TRAILING = /[.,;:!)\]]+$/;

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * A URL as it may be shown, stored or logged: no user name or password, no query, no fragment.
 * `hf:` URIs keep their `#branch` (a name from a safe alphabet, download-source.ts).
 */
export function redactUrl(uri: string): string {
  const url = parse(uri);
  if (!url) return redactUnparsed(uri);
  if (uri.slice(url.protocol.length).startsWith('//')) return `${url.protocol}//${url.host}${url.pathname}`;
  // No authority: `user:password@host/…` typed without a scheme parses as the scheme `user:`.
  const at = url.pathname.lastIndexOf('@');
  if (at >= 0) return url.pathname.slice(at + 1);
  return `${url.protocol}${url.pathname}${url.protocol === 'hf:' ? url.hash : ''}`;
}

/**
 * A text that is not a URL (a bad port, a space in the host, no scheme): the query and fragment
 * are cut, and everything up to the last `@` before them is taken for credentials, however many
 * `:` or `/` it holds. Without an `@`, an authority whose `:` is not followed by a port is
 * taken for `user:password`.
 */
function redactUnparsed(text: string): string {
  const kept = text.split(/[?#]/)[0]!;
  const scheme = SCHEME.exec(kept)?.[0] ?? '';
  const slashes = kept.slice(scheme.length).startsWith('//') ? '//' : '';
  const rest = kept.slice(scheme.length + slashes.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) return `${scheme}${slashes}${rest.slice(at + 1)}`;
  if (slashes) {
    const authority = rest.split('/')[0]!;
    if (/:(?!\d*$)/.test(authority)) return `${scheme}${slashes}${REDACTED}${rest.slice(authority.length)}`;
  }
  return kept;
}

function redactMatch(match: string): string {
  const trailing = TRAILING.exec(match)?.[0] ?? '';
  return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
}

/**
 * `text` with every URL in it redacted (any scheme, parsed or not), credentials after `Bearer` /
 * `Basic`, `token=`-like parameters outside a URL, and each of `secrets` (API keys the caller
 * holds) replaced by REDACTED.
 */
export function redactText(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let clean = text;
  for (const secret of secrets) if (secret && secret.length >= 4) clean = clean.split(secret).join(REDACTED);
  return clean
    .replace(AUTHORITY_URL, redactMatch)
    .replace(HF_URI, redactMatch)
    .replace(PATH_QUERY, '$1$2')
    .replace(USERINFO, '//')
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(SECRET_PARAM, `$1=${REDACTED}`);
}

function redactArgument(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (!(value instanceof Error)) return value;
  const copy = new Error(redactText(value.message));
  copy.name = value.name;
  copy.stack = value.stack === undefined ? undefined : redactText(value.stack);
  return copy;
}

/**
 * `logger` with every line redacted, and every Error's message and stack: the core wraps the
 * logger it is given (core.ts), so no extension can log a secret by quoting a URL. A line the
 * host cannot write is dropped: a log that throws (VS Code's channel once the window is closing)
 * must not stop what logged, such as the unloading that saves the threads' cache states.
 */
export function redactingLogger(logger: Logger): Logger {
  const args = (values: unknown[]) => values.map(redactArgument);
  const quietly = (write: () => void) => {
    try {
      write();
    } catch {
      // Nowhere left to report it.
    }
  };
  return {
    debug: (message, ...rest) => quietly(() => logger.debug(redactText(message), ...args(rest))),
    info: (message, ...rest) => quietly(() => logger.info(redactText(message), ...args(rest))),
    warn: (message, ...rest) => quietly(() => logger.warn(redactText(message), ...args(rest))),
    error: (message, ...rest) => quietly(() => logger.error(redactArgument(message) as string | Error, ...args(rest))),
  };
}
