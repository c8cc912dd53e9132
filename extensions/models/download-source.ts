import { createHash } from 'node:crypto';
import { ModelError } from './errors';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HF_PREFIX = /^hf:[^\s/:]+\/[^\s/:]+/;
const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Checks a download source: an `https://` URL, a `hf:user/repo[/file | :quant]` URI, or plain
 * `http://` to this machine only (a user's own server, and the tests' server). Anything else
 * (other http hosts, file:, data:) is refused with a message that says what is accepted.
 */
export function checkDownloadUri(input: string): string {
  const uri = input.trim();
  if (HF_PREFIX.test(uri)) return uri;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ModelError('INVALID_SOURCE', `"${uri}" is not a URL or an hf: URI.`);
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url.href;
  throw new ModelError('INVALID_SOURCE', `"${uri}" cannot be downloaded: use an https:// URL, an hf:user/repo/file.gguf URI, or an http:// URL on 127.0.0.1.`);
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
