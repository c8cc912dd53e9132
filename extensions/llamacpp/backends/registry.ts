import * as v from 'valibot';
import { EngineError } from '@jan/core';
import { validate } from '@jan/validation';

/** node-llama-cpp's prebuilt packages come from the npm registry (or a mirror the user names). */
export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** The fields of a registry's version document we use (https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md). */
const versionDocument = v.object({
  name: v.string(),
  version: v.string(),
  dist: v.object({
    tarball: v.string(),
    integrity: v.pipe(v.string(), v.startsWith('sha512-', 'the registry gives no sha512 integrity')),
  }),
});

/** One package to fetch: where its tarball is, its sha512 from the registry, its download size. */
export interface PackageDist {
  name: string;
  version: string;
  tarball: URL;
  /** Subresource-integrity form: `sha512-<base64>`. */
  integrity: string;
  /** The tarball's size (Content-Length), 0 when the server does not say. */
  sizeBytes: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http to this machine (a local mirror, the tests' registry); never credentials in the URL. */
export function checkRegistryUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EngineError('INVALID_REQUEST', `The ${what} "${raw}" is not a URL.`);
  }
  const local = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !local)
    throw new EngineError('INVALID_REQUEST', `The ${what} must use https (or http to this machine): ${url.origin}`);
  if (url.username || url.password)
    throw new EngineError('INVALID_REQUEST', `The ${what} may not carry credentials: ${url.origin}`);
  return url;
}

/** The registry's version document of `name@version`, checked, and the tarball's size. */
export async function packageDist(
  registry: string,
  name: string,
  version: string,
  signal?: AbortSignal,
): Promise<PackageDist> {
  const base = checkRegistryUrl(registry.endsWith('/') ? registry : `${registry}/`, 'package registry');
  const documentUrl = new URL(`${name.replace('/', '%2f')}/${encodeURIComponent(version)}`, base);
  const response = await request(
    documentUrl,
    { headers: { accept: 'application/json' }, signal },
    `${name}@${version}`,
  );
  const parsed = validate(versionDocument, await response.json().catch(() => undefined), {
    what: `The registry's answer for ${name}@${version} is not a package version`,
  });
  if (!parsed.ok) throw new EngineError('REMOTE_ERROR', parsed.error);
  const { dist } = parsed.value;
  if (parsed.value.name !== name || parsed.value.version !== version)
    throw new EngineError(
      'REMOTE_ERROR',
      `The registry answered for ${parsed.value.name}@${parsed.value.version}, not ${name}@${version}.`,
    );
  const tarball = checkRegistryUrl(dist.tarball, 'package download');
  const head = await request(tarball, { method: 'HEAD', signal }, `${name}@${version}`);
  const sizeBytes = Number(head.headers.get('content-length') ?? 0);
  return { name, version, tarball, integrity: dist.integrity, sizeBytes: Number.isFinite(sizeBytes) ? sizeBytes : 0 };
}

async function request(url: URL, init: RequestInit, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw new EngineError('ABORTED', `Fetching ${what} was cancelled.`);
    throw new EngineError('REMOTE_ERROR', `Could not reach ${url.origin} for ${what}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new EngineError('REMOTE_ERROR', `${url.origin} answered ${response.status} for ${what}.`);
  return response;
}
