import { ApiError } from './errors';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The DNS-rebinding defence: a page on evil.example whose name is made to resolve to 127.0.0.1
 * still sends `Host: evil.example`. Only loopback names and the ones the user listed get in, and
 * this holds however the server is bound (Jan desktop's advisory: binding to 0.0.0.0 turned its
 * check off).
 */
export function hostChecker(allowedHosts: readonly string[]): (hostHeader: string | undefined) => void {
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  return (hostHeader) => {
    const name = hostName(hostHeader);
    if (name !== undefined && (isLoopback(name) || allowed.has(name))) return;
    throw new ApiError(
      403,
      `Host "${hostHeader ?? ''}" is not allowed. Add it to the server's allowed hosts to reach it by that name.`,
      'invalid_request_error',
      'host_not_allowed',
    );
  };
}

/** The host name of a Host header, without the port and the IPv6 brackets; undefined when malformed. */
export function hostName(hostHeader: string | undefined): string | undefined {
  const value = hostHeader?.trim().toLowerCase();
  if (!value) return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(1, end) : undefined;
  }
  const colon = value.lastIndexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

function isLoopback(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
}
