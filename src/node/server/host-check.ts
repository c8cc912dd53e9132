import { ApiError } from './errors';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The DNS-rebinding defence: a page on evil.example whose name is made to resolve to 127.0.0.1
 * still sends `Host: evil.example`. Exactly one Host header, parsed by the URL rules (hostName),
 * and only loopback names and the ones the user listed get in. This holds however the server is
 * bound (Jan desktop's advisory: binding to 0.0.0.0 turned its check off).
 */
export function hostChecker(allowedHosts: readonly string[]): (hostHeaders: readonly string[]) => void {
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  return (hostHeaders) => {
    if (hostHeaders.length > 1) refuse('The request has more than one Host header.');
    const header = hostHeaders[0] ?? '';
    const name = hostName(header);
    if (name !== undefined && (isLoopback(name) || allowed.has(name))) return;
    const at = header.lastIndexOf('@');
    if (at >= 0) refuse(`The Host header carries a user name or password ("…${header.slice(at, at + 100)}").`);
    refuse(`Host "${header.slice(0, 100)}" is not allowed.`);
  };
}

function refuse(why: string): never {
  throw new ApiError(
    403,
    `${why} Only one Host, a name with an optional port, is accepted; add a name to the server's allowed hosts to reach it by that name.`,
    'invalid_request_error',
    'host_not_allowed',
  );
}

/**
 * The host name of a Host header (no port, no IPv6 brackets), parsed as the URL parser parses
 * the authority of `http://<header>/`; undefined unless the header is exactly a host with an
 * optional port in its canonical form: a user name or password, a path, a query, a fragment, a
 * bad port, or anything the parser would rewrite (percent escapes, IPv4 numbers, tabs, a
 * trailing dot or colon) is not.
 */
export function hostName(hostHeader: string): string | undefined {
  const value = hostHeader.toLowerCase();
  let url: URL;
  try {
    url = new URL(`http://${value}/`);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
  // The URL omits http's default port; a client may still name it.
  const canonical = value.endsWith(':80') && !url.port ? `${url.host}:80` : url.host;
  if (canonical !== value) return undefined;
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function isLoopback(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Every Host header of a request as it arrived (Node keeps only the first in `headers.host`). */
export function hostHeaders(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2)
    if (rawHeaders[index]!.toLowerCase() === 'host') values.push(rawHeaders[index + 1]!);
  return values;
}
