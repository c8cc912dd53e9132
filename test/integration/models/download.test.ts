import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '@jan/core';
import * as net from 'node:net';
import { DownloadCancelled, formatBytes, ModelError, type DownloadProgress } from '../../../extensions/models';
import { bundleEntry } from '../../support/bundle-entry';
import { rejection } from '../../support/rejection';
import { makeGguf } from './support/make-gguf';
import { createModelsFixture, STORIES, STORIES_SHA256, type ModelsFixture } from './support/models-fixture';
import { RangeServer } from './support/range-server';

const MiB = 1024 * 1024;

let workerPath: string;
let stories: Buffer;
let fixture: ModelsFixture;
let server: RangeServer | undefined;

beforeAll(async () => {
  workerPath = await bundleEntry('extensions/models/downloader/main.ts', 'model-download');
  stories = await readFile(STORIES);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await fixture?.dispose();
});

type FixtureOptions = Parameters<typeof createModelsFixture>[0];

async function setup(
  body: Buffer,
  options: FixtureOptions | ((http: RangeServer) => FixtureOptions) = {},
): Promise<RangeServer> {
  const http = await RangeServer.start(body);
  server = http;
  const extra = typeof options === 'function' ? options(http) : options;
  fixture = await createModelsFixture({
    downloadWorkerPath: workerPath,
    cancelGraceMs: 3000,
    retryDelaysMs: [300, 300],
    stallTimeoutMs: 1500,
    ...extra,
  });
  return http;
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

const failure = (promise: Promise<unknown>) => rejection(promise, ModelError);

async function stagedFiles(): Promise<string[]> {
  const staging = path.join(fixture.modelsFolder, '.downloads');
  if (!existsSync(staging)) return [];
  // Beside each staging folder sit its lock (`<key>.lock`) and owner (`<key>.owner`) while a download runs.
  const keys = (await readdir(staging, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.endsWith('.lock'))
    .map((entry) => entry.name);
  return (
    await Promise.all(keys.map(async (key) => (await readdir(path.join(staging, key))).map((name) => `${key}/${name}`)))
  ).flat();
}

async function partialFileSize(name: string): Promise<number> {
  const staged = (await stagedFiles()).find((file) => file.endsWith(`/${name}`));
  return staged ? (await stat(path.join(fixture.modelsFolder, '.downloads', staged))).size : 0;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Aborts the download once progress reaches `bytes`. */
function abortAt(
  controller: AbortController,
  bytes: number,
  seen: DownloadProgress[],
): (progress: DownloadProgress) => void {
  return (progress) => {
    seen.push(progress);
    if (progress.downloadedBytes >= bytes) controller.abort();
  };
}

describe('model downloads (real child process, real HTTP on 127.0.0.1)', () => {
  it('downloads a real GGUF with progress, verifies its sha256 and installs it', async () => {
    const http = await setup(stories);
    const progress: DownloadProgress[] = [];
    const changed: Model[][] = [];
    fixture.core.events.on('OnModelsChanged', (models) => void changed.push(models));

    const model = await fixture.models.downloadModel(
      { uri: http.url('/files/stories260K.gguf'), sha256: STORIES_SHA256, name: 'Stories' },
      { onProgress: (p) => progress.push(p) },
    );

    expect(model).toMatchObject({
      id: 'stories260k',
      name: 'Stories',
      engine: 'llamacpp',
      metadata: { size: stories.length, sha256: STORIES_SHA256 },
    });
    const downloading = progress.filter((p) => p.phase === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(downloading.every((p) => p.totalBytes === stories.length)).toBe(true);
    expect(downloading.at(-1)!.downloadedBytes).toBe(stories.length);
    expect(progress.some((p) => p.phase === 'verifying')).toBe(true);

    const resolved = await fixture.models.resolveModel('stories260k');
    expect(resolved?.filePath).toBe(path.join(fixture.modelsFolder, 'stories260k', 'stories260K.gguf'));
    expect(sha256(await readFile(resolved!.filePath))).toBe(STORIES_SHA256);
    expect(await fixture.listFolder()).toEqual(['stories260k']);
    expect(await stagedFiles()).toEqual([]);
    expect(changed.at(-1)?.map((m) => m.id)).toEqual(['stories260k']);
  });

  it('resolves an hf: URI through the Hugging Face endpoint', async () => {
    const http = await setup(stories, (local) => ({ huggingFaceEndpoint: local.url('/') }));

    const model = await fixture.models.downloadModel({
      uri: 'hf:someone/tiny-GGUF/stories260K.gguf',
      sha256: STORIES_SHA256,
    });

    expect(model.id).toBe('stories260k');
    expect(model.sources[0]).toEqual({ filename: 'stories260K.gguf', url: 'hf:someone/tiny-GGUF/stories260K.gguf' });
    expect(http.requests.map((r) => r.path.split('?')[0])).toContain(
      '/someone/tiny-GGUF/resolve/main/stories260K.gguf',
    );
  });

  it('finishes the file when the server drops the connection mid-body', async () => {
    const http = await setup(stories);
    http.behaviour = { dropOnceAfter: 400_000 };

    const model = await fixture.models.downloadModel({ uri: http.url('/stories260K.gguf'), sha256: STORIES_SHA256 });

    const ranged = http.requests.filter((r) => r.rangeStart !== undefined);
    expect(ranged.length).toBeGreaterThanOrEqual(2);
    expect(ranged[0]!.bytesSent).toBe(400_000);
    expect(model.metadata.sha256).toBe(STORIES_SHA256);
  });

  it('after a dropped connection asks again only for the bytes it did not get', async () => {
    const big = makeGguf(3 * MiB);
    const http = await setup(big);
    http.behaviour = { dropOnceAfter: 3 * MiB };

    const model = await fixture.models.downloadModel({ uri: http.url('/big.gguf'), sha256: sha256(big) });

    const dropped = http.requests.find((r) => r.rangeStart !== undefined && r.bytesSent === 3 * MiB);
    expect(dropped).toBeDefined();
    const starts = http.requests.filter((r) => r.rangeStart !== undefined).map((r) => r.rangeStart!);
    // It resumes inside the dropped chunk, from the last byte that arrived (some of the 3 MiB sent may be lost in flight).
    expect(starts.some((start) => start > dropped!.rangeStart! && start <= dropped!.rangeStart! + 3 * MiB)).toBe(true);
    expect(new Set(starts).size).toBe(starts.length);
    expect(http.rangedBytesServed()).toBeLessThan(big.length + 3 * MiB);
    expect(model.metadata.sha256).toBe(sha256(big));
  });

  it('cancel keeps the partial file, and the next download resumes from it', async () => {
    const big = makeGguf(3 * MiB);
    const http = await setup(big);
    // First run: only the first 5 MiB chunk can arrive, later ranges hang.
    http.behaviour = { holdRangesFrom: 5 * MiB };
    const controller = new AbortController();
    const uri = http.url('/big.gguf');
    const first = fixture.models.downloadModel({ uri }, { signal: controller.signal });
    // Cancel once that chunk is on disk (the downloader writes whole chunks, with its resume data).
    await waitFor(async () => (await partialFileSize('big.gguf.ipull')) > 5 * MiB);
    controller.abort();

    expect((await failure(first)).code).toBe('CANCELLED');
    expect(await partialFileSize('big.gguf.ipull')).toBeGreaterThan(5 * MiB);
    expect(await fixture.models.listModels()).toEqual({ models: [], warnings: [] });

    http.behaviour = {};
    const since = http.requests.length;
    const model = await fixture.models.downloadModel({ uri, sha256: sha256(big) });

    const resumed = http.requests.slice(since).filter((r) => r.rangeStart !== undefined);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((r) => r.rangeStart! >= 5 * MiB)).toBe(true);
    expect(http.rangedBytesServed(since)).toBe(big.length - 5 * MiB);
    expect(model.metadata.sha256).toBe(sha256(big));
    expect(await stagedFiles()).toEqual([]);
  });

  it('cancel with discard removes the partial file', async () => {
    const big = makeGguf(3 * MiB);
    const http = await setup(big);
    http.behaviour = { holdRangesFrom: 5 * MiB };
    const controller = new AbortController();
    const download = fixture.models.downloadModel(
      { uri: http.url('/big.gguf') },
      { signal: controller.signal, discardOnCancel: true },
    );
    await waitFor(async () => (await partialFileSize('big.gguf.ipull')) > 5 * MiB);
    controller.abort();

    expect((await failure(download)).code).toBe('CANCELLED');
    expect(await stagedFiles()).toEqual([]);
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('a partial file kept by cancel can be discarded later', async () => {
    const big = makeGguf(3 * MiB);
    const http = await setup(big);
    http.behaviour = { holdRangesFrom: 5 * MiB };
    const controller = new AbortController();
    const uri = http.url('/big.gguf');
    const download = fixture.models.downloadModel({ uri }, { signal: controller.signal });
    await waitFor(async () => (await partialFileSize('big.gguf.ipull')) > 5 * MiB);
    controller.abort();
    await failure(download);
    expect(await partialFileSize('big.gguf.ipull')).toBeGreaterThan(5 * MiB);

    await fixture.models.discardDownload(uri);

    expect(await stagedFiles()).toEqual([]);
  });

  it('cancel works before any chunk is complete', async () => {
    const http = await setup(stories);
    http.behaviour = { stallAfter: 300_000 };
    const controller = new AbortController();
    const progress: DownloadProgress[] = [];

    const error = await failure(
      fixture.models.downloadModel(
        { uri: http.url('/stories260K.gguf') },
        { signal: controller.signal, onProgress: abortAt(controller, 300_000, progress) },
      ),
    );

    expect(error.code).toBe('CANCELLED');
    expect(progress.at(-1)!.downloadedBytes).toBeGreaterThanOrEqual(300_000);
    expect((await fixture.models.listModels()).models).toEqual([]);
  });

  it('refuses a second download of the same source while the first runs', async () => {
    const http = await setup(stories);
    http.behaviour = { stallAfter: 100_000 };
    const controller = new AbortController();
    const uri = http.url('/stories260K.gguf');
    const first = fixture.models.downloadModel({ uri }, { signal: controller.signal });

    expect((await failure(fixture.models.downloadModel({ uri }))).code).toBe('BUSY');
    expect((await failure(fixture.models.discardDownload(uri))).code).toBe('BUSY');
    // Another window (another extension over the same folder) may not delete the partial file either.
    await waitFor(async () => existsSync(`${path.join(fixture.modelsFolder, '.downloads')}`));
    expect((await failure(fixture.reopen().discardDownload(uri))).code).toBe('BUSY');

    controller.abort();
    expect((await failure(first)).code).toBe('CANCELLED');
  });

  it('a checksum mismatch removes the downloaded file and fails clearly', async () => {
    const http = await setup(stories);

    const error = await failure(
      fixture.models.downloadModel({ uri: http.url('/stories260K.gguf'), sha256: 'ab'.repeat(32) }),
    );

    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(STORIES_SHA256);
    expect(error.message).toContain('ab'.repeat(32));
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('refuses to start when the disk has too little space, saying how much is needed', async () => {
    const http = await setup(stories, { freeSpace: async () => 1000 });

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/stories260K.gguf') }));

    expect(error.code).toBe('INSUFFICIENT_DISK_SPACE');
    expect(error.message).toMatch(/needs 1\.19 MB but only 1\.00 KB is free/);
    expect(http.requests.some((r) => r.rangeStart !== undefined)).toBe(false);
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('rejects a downloaded file that is not a GGUF, leaving nothing behind', async () => {
    const http = await setup(Buffer.from('<html>Sign in to download this model</html>'));

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/model.gguf') }));

    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain('GGUF signature');
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('reports an HTTP error from the server', async () => {
    const http = await setup(stories);
    http.behaviour = { status: 404 };

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/missing.gguf') }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/404/);
  });

  it('refuses sources other than https, hf: and http on 127.0.0.1, and already installed models', async () => {
    const http = await setup(stories);
    for (const uri of ['http://example.com/model.gguf', 'file:///etc/passwd', 'not a url']) {
      expect((await failure(fixture.models.downloadModel({ uri }))).code).toBe('INVALID_SOURCE');
    }
    expect(http.requests).toEqual([]);

    const uri = http.url('/stories260K.gguf');
    // Ids that name folders Windows cannot hold are refused before any request.
    for (const id of ['nul.tar.gz', 'lpt1.', 'CON', 'com1.gguf'])
      expect((await failure(fixture.models.downloadModel({ uri, id }))).code, id).toBe('INVALID_ID');
    expect(http.requests).toEqual([]);
    await fixture.models.downloadModel({ uri });
    expect((await failure(fixture.models.downloadModel({ uri }))).code).toBe('ALREADY_INSTALLED');
    // An id differing only in case is the same folder on Windows and macOS: the same model here.
    const twin = await failure(fixture.models.downloadModel({ uri: http.url('/other.gguf'), id: 'STORIES260K' }));
    expect(twin.code).toBe('ALREADY_INSTALLED');
    expect(twin.message).toContain('stories260k');
  });
});

/** A port on 127.0.0.1 with nothing listening: a connection to it is refused. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function logText(): string {
  return fixture.logger.lines.map((line) => `${line.level} ${line.message}`).join('\n');
}

describe('hostile and failing servers (real child process, real HTTP on 127.0.0.1)', () => {
  it('follows a redirect the policy accepts, re-checking the hop', async () => {
    const http = await setup(stories);
    http.behaviour = {
      redirects: { '/r/stories260K.gguf': http.url('/files/stories260K.gguf').replace('127.0.0.1', 'localhost') },
    };

    const model = await fixture.models.downloadModel({ uri: http.url('/r/stories260K.gguf'), sha256: STORIES_SHA256 });

    expect(model.metadata.sha256).toBe(STORIES_SHA256);
    expect(http.requests.some((r) => r.path === '/files/stories260K.gguf')).toBe(true);
  });

  it('refuses a redirect to another host over plain http, at the first hop or a later one, and installs nothing', async () => {
    for (const chain of [['http://example.com/model.gguf'], ['LOCAL', 'http://example.com/model.gguf']]) {
      const http = await setup(stories);
      const redirects: Record<string, string> = {};
      chain.forEach(
        (target, index) => (redirects[`/hop${index}`] = target === 'LOCAL' ? http.url(`/hop${index + 1}`) : target),
      );
      http.behaviour = { redirects };

      const error = await failure(fixture.models.downloadModel({ uri: http.url('/hop0?token=SECRET-A') }));

      expect(error.code).toBe('INVALID_SOURCE');
      expect(error.message).toMatch(/redirected to http:\/\/example\.com\/model\.gguf, which is refused/);
      expect(error.message).not.toContain('SECRET');
      expect((await fixture.models.listModels()).models).toEqual([]);
      expect(await stagedFiles()).toEqual([]);
      await server?.close();
      server = undefined;
      await fixture.dispose();
    }
  });

  it('follows 10 redirects and refuses the 11th, naming the first URL without its query', async () => {
    for (const [hops, ok] of [
      [10, true],
      [11, false],
    ] as const) {
      const http = await setup(stories);
      const redirects: Record<string, string> = {};
      for (let hop = 0; hop < hops; hop++)
        redirects[`/hop${hop}`] = http.url(hop + 1 < hops ? `/hop${hop + 1}` : '/files/stories260K.gguf');
      http.behaviour = { redirects };

      const download = fixture.models.downloadModel({ uri: http.url('/hop0?token=SECRET-R'), sha256: STORIES_SHA256 });

      if (ok) {
        expect((await download).metadata.sha256).toBe(STORIES_SHA256);
      } else {
        const error = await failure(download);
        expect(error.message).toBe(`${http.url('/hop0')} redirected more than 10 times.`);
        expect(http.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
        expect((await fixture.models.listModels()).models).toEqual([]);
      }
      expect(logText()).not.toContain('SECRET');
      await server?.close();
      server = undefined;
      await fixture.dispose();
    }
  });

  it('never shows the credentials or token of a refused redirect or source, for any scheme, parsed or not', async () => {
    const http = await setup(stories);
    const cases: Array<{ location?: string; uri?: string; shown: string }> = [
      { location: 'ftp://user:SECRET-1@mirror.example/m.gguf', shown: 'ftp://mirror.example/m.gguf' },
      { location: 'sftp://user:SECRET-2@mirror.example/m.gguf?t=SECRET-3', shown: 'sftp://mirror.example/m.gguf' },
      { location: 'https://user:SECRET-4@mirror.example:99999/m.gguf', shown: 'mirror.example:99999/m.gguf' },
      { uri: 'ftp://user:SECRET-5@mirror.example/m.gguf', shown: 'ftp://mirror.example/m.gguf' },
      { uri: 'hf:user/repo/m.gguf?token=SECRET-6', shown: 'hf:user/repo/m.gguf' },
      { uri: 'https://user:SECRET-7@mirror.example:99999/m.gguf', shown: 'mirror.example:99999/m.gguf' },
      { uri: 'user:SECRET-8@mirror.example/m.gguf', shown: 'mirror.example/m.gguf' },
    ];
    for (const { location, uri, shown } of cases) {
      http.behaviour = location ? { redirects: { '/moved.gguf': location } } : {};
      const error = await failure(fixture.models.downloadModel({ uri: uri ?? http.url('/moved.gguf?sig=SECRET-9') }));
      expect(error.code, shown).toBe('INVALID_SOURCE');
      expect(error.message, shown).toContain(shown);
      expect(error.message, shown).not.toContain('SECRET');
    }
    expect(logText()).not.toContain('SECRET');
  });

  it('stops a gzip body that inflates past the length it declared, counting bytes after decoding', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MiB));
    const http = await setup(stories);
    http.behaviour = { gzipped: bomb };
    const progress: DownloadProgress[] = [];

    const error = await failure(
      fixture.models.downloadModel(
        { uri: http.url('/bomb.gguf'), fileName: 'bomb.gguf' },
        { onProgress: (p) => progress.push(p) },
      ),
    );

    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toBe(
      `${http.url('/bomb.gguf')} sent more than the ${formatBytes(bomb.length)} it declared (counted after decoding its gzip encoding); stopped, and the partial file was removed.`,
    );
    expect(Math.max(0, ...progress.map((p) => p.downloadedBytes))).toBeLessThanOrEqual(bomb.length);
    expect(await stagedFiles()).toEqual([]);
    expect((await fixture.models.listModels()).models).toEqual([]);
  });

  it('downloads from a server that sends no Content-Length', async () => {
    const http = await setup(stories);
    http.behaviour = { noContentLength: true };

    const model = await fixture.models.downloadModel({ uri: http.url('/stories260K.gguf'), sha256: STORIES_SHA256 });

    expect(model.metadata.sha256).toBe(STORIES_SHA256);
  });

  it('without Content-Length stops writing at the free space measured before starting', async () => {
    const http = await setup(stories, { freeSpace: async () => 200_000 });
    http.behaviour = { noContentLength: true };

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/stories260K.gguf') }));

    expect(error.code).toBe('INSUFFICIENT_DISK_SPACE');
    expect(error.message).toMatch(/more than the 200 KB free on disk/);
    expect(await stagedFiles()).toEqual([]);
    expect((await fixture.models.listModels()).models).toEqual([]);
  });

  it('fails at once, naming the cause, when the connection is refused', async () => {
    await setup(stories);
    const port = await closedPort();

    const error = await failure(
      fixture.models.downloadModel({ uri: `http://127.0.0.1:${port}/model.gguf?token=SECRET-B` }),
    );

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/refused/i);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(logText()).not.toContain('SECRET');
    expect(await stagedFiles()).toEqual([]);
  });

  it('fails at once, naming the cause, when the host name does not resolve', async () => {
    await setup(stories);

    const error = await failure(fixture.models.downloadModel({ uri: 'https://jan-download-test.invalid/model.gguf' }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(
      /jan-download-test\.invalid.*(DNS|resolve)|(DNS|resolve).*jan-download-test\.invalid/,
    );
  });

  it('fails at once, naming the cause, when the TLS handshake fails', async () => {
    const http = await setup(stories);
    // https:// to a server that speaks plain HTTP: the handshake cannot succeed.
    const uri = http.url('/model.gguf').replace('http://', 'https://');

    const error = await failure(fixture.models.downloadModel({ uri }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/secure connection to 127\.0\.0\.1:\d+ failed/);
  });

  it.each([403, 404, 503])('fails at once on HTTP %i before the transfer started, with one request', async (status) => {
    const http = await setup(stories);
    http.behaviour = { status };

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/m.gguf?X-Amz-Signature=SECRET-C') }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain(String(status));
    expect(error.message).not.toContain('SECRET');
    expect(http.requests.length).toBeLessThanOrEqual(2);
    expect(logText()).not.toContain('SECRET');
  });

  it('retries a connection cut mid-transfer, showing the attempt and its countdown, and resumes where it stopped', async () => {
    const http = await setup(stories);
    http.behaviour = { dropOnceAfter: 400_000 };
    const progress: DownloadProgress[] = [];

    const model = await fixture.models.downloadModel(
      { uri: http.url('/stories260K.gguf'), sha256: STORIES_SHA256 },
      { onProgress: (p) => progress.push(p) },
    );

    const retries = progress.filter((p) => p.phase === 'retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]!.retry).toMatchObject({ attempt: 1, attempts: 2, secondsLeft: 1 });
    expect(retries[0]!.retry!.reason).toMatch(/closed|reset|terminated|socket/i);
    expect(http.requests.some((r) => r.rangeStart === 400_000)).toBe(true);
    expect(model.metadata.sha256).toBe(STORIES_SHA256);
    expect(fixture.logger.messages('warn').some((line) => /retry 1 of 2/.test(line))).toBe(true);
  });

  it('fails, naming the cause, when the server accepts the connection but never answers', async () => {
    const http = await setup(stories);
    http.behaviour = { silent: true };

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/stories260K.gguf') }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/127\.0\.0\.1:\d+ sent nothing for 2 s/);
  });

  it('retries a transfer that stalls mid-body, then gives up naming the cause', async () => {
    const http = await setup(stories);
    http.behaviour = { stallAfter: 200_000 };
    const progress: DownloadProgress[] = [];

    const error = await failure(
      fixture.models.downloadModel({ uri: http.url('/stories260K.gguf') }, { onProgress: (p) => progress.push(p) }),
    );

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/sent nothing for 2 s/);
    expect(progress.filter((p) => p.phase === 'retrying').map((p) => p.retry!.attempt)).toEqual(
      expect.arrayContaining([1, 2]),
    );
  });

  it('stores, shows and logs the URL without its query string', async () => {
    const http = await setup(stories);

    const model = await fixture.models.downloadModel({
      uri: http.url('/stories260K.gguf?token=SECRET-D&sig=SECRET-E'),
    });

    expect(model.sources[0]!.url).toBe(http.url('/stories260K.gguf'));
    const info = fixture.logger.messages('info').join('\n');
    expect(info).toContain(http.url('/stories260K.gguf'));
    expect(info).toMatch(/1185376 bytes|1\.19 MB/);
    expect(logText()).not.toContain('SECRET');
    const written = await readFile(path.join(fixture.modelsFolder, model.id, 'model.json'), 'utf8');
    expect(written).not.toContain('SECRET');
  });

  it('cancel before anything arrived says nothing was kept and leaves no staging folder', async () => {
    const http = await setup(stories);
    http.behaviour = { holdRangesFrom: 0, stallAfter: 0 };
    const controller = new AbortController();
    const download = fixture.models.downloadModel(
      { uri: http.url('/stories260K.gguf') },
      { signal: controller.signal },
    );
    await waitFor(async () => http.requests.length > 0);
    controller.abort();

    const error = await rejection(download, DownloadCancelled);
    expect(error.keptBytes).toBe(0);
    expect(await stagedFiles()).toEqual([]);
  });

  it('a second window downloading the same URL waits for the first, says who, and reuses the result', async () => {
    let release!: () => void;
    const http = await setup(stories);
    http.behaviour = { gate: new Promise<void>((resolve) => (release = resolve)) };
    const uri = http.url('/stories260K.gguf');
    const other = fixture.reopen();
    const waiting: DownloadProgress[] = [];

    const first = fixture.models.downloadModel({ uri });
    await waitFor(async () => http.requests.length > 0);
    const second = other.downloadModel({ uri }, { onProgress: (p) => waiting.push(p) });
    await waitFor(async () => waiting.some((p) => p.phase === 'waiting'));
    release();

    const [a, b] = await Promise.all([first, second]);
    expect(b.id).toBe(a.id);
    expect(waiting.find((p) => p.phase === 'waiting')!.owner).toMatch(new RegExp(`process ${process.pid}`));
    expect(http.rangedBytesServed()).toBe(stories.length);
    expect((await fixture.models.listModels()).models.map((m) => m.id)).toEqual([a.id]);
  });
});
