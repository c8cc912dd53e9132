import { createHash } from 'node:crypto';
import { redactUrl } from '@jan/core';
import { ModelError } from './errors';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SHA256 = /^[0-9a-f]{64}$/i;
/** A Hugging Face user, repo, folder, file, quantization or branch name: no `..`, `\\`, `%`, `?` or spaces. */
const HF_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const ACCEPTED = 'use an https:// URL, an hf:user/repo/file.gguf URI, or an http:// URL on 127.0.0.1.';

function hfName(name: string | undefined): boolean {
  return name !== undefined && HF_NAME.test(name) && !name.includes('..');
}

/**
 * `hf:user/repo:quant` or `hf:user/repo/path/file.gguf[#branch]`, each name from a safe
 * alphabet: a spec becomes a URL path on the endpoint, so `..`, `\\` or an escape must never
 * walk out of the repository.
 */
function checkHfSpec(uri: string): string {
  const [spec = '', branch, ...rest] = uri.slice('hf:'.length).split('#');
  const segments = spec.split('/');
  const [repo, quant, ...extraColons] = (segments[1] ?? '').split(':');
  const valid =
    rest.length === 0 &&
    segments.length >= 2 &&
    extraColons.length === 0 &&
    hfName(segments[0]) &&
    hfName(repo) &&
    (quant === undefined ? segments.slice(2).every(hfName) : segments.length === 2 && hfName(quant)) &&
    (branch === undefined || hfName(branch));
  if (!valid) {
    throw new ModelError(
      'INVALID_SOURCE',
      `"${redactUrl(uri)}" is not a valid hf: URI (hf:user/repo/file.gguf or hf:user/repo:quant, names of letters, digits, ".", "_" and "-", no ".."): ${ACCEPTED}`,
    );
  }
  return uri;
}

/** The policy for every URL a download requests, the first and each redirect: https, or http to this machine. */
function allowedUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/**
 * Checks a download source: an `https://` URL, a `hf:user/repo[/file | :quant]` URI, or plain
 * `http://` to this machine only (a user's own server, and the tests' server). Anything else
 * (other http hosts, file:, data:) is refused with a message that says what is accepted.
 */
export function checkDownloadUri(input: string): string {
  const uri = input.trim();
  if (uri.startsWith('hf:')) return checkHfSpec(uri);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ModelError('INVALID_SOURCE', `"${redactUrl(uri)}" is not a URL or an hf: URI.`);
  }
  if (allowedUrl(url)) return url.href;
  throw new ModelError('INVALID_SOURCE', `"${redactUrl(uri)}" cannot be downloaded: ${ACCEPTED}`);
}

/**
 * The absolute URL a redirect from `from` to `location` leads to, when the same policy as the
 * first URL accepts it and it does not downgrade https to http.
 */
export function checkRedirect(from: string, location: string): string {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new ModelError(
      'INVALID_SOURCE',
      `The download was redirected to "${redactUrl(location)}", which is refused: it is not a URL.`,
    );
  }
  const downgrade = new URL(from).protocol === 'https:' && target.protocol !== 'https:';
  if (!allowedUrl(target) || downgrade) {
    const why = downgrade ? 'it leaves https' : ACCEPTED;
    throw new ModelError(
      'INVALID_SOURCE',
      `The download was redirected to ${redactUrl(target.href)}, which is refused: ${why}`,
    );
  }
  return target.href;
}

export function checkSha256(sha256: string | undefined): string | undefined {
  if (sha256 === undefined) return undefined;
  if (!SHA256.test(sha256)) throw new ModelError('INVALID_SOURCE', `"${sha256}" is not a sha256 (64 hex digits).`);
  return sha256.toLowerCase();
}

/**
 * The plain file name of an `hf:user/repo/…/file.gguf` URI. Without it node-llama-cpp prefixes
 * the saved file with `hf_user_repo_`, and that prefix would end up in the model id.
 */
export function hfFileName(uri: string): string | undefined {
  if (!uri.startsWith('hf:')) return undefined;
  const parts = uri.slice('hf:'.length).split('#')[0]!.split('/');
  const last = parts.at(-1);
  return parts.length >= 3 && last && /\.gguf$/i.test(last) ? last : undefined;
}

/** A folder name that is the same for the same source, so a second attempt resumes the first. */
export function stagingKey(uri: string): string {
  return createHash('sha256').update(uri).digest('hex').slice(0, 24);
}
