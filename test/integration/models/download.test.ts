import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '@jan/core';
import { ModelError, type DownloadProgress } from '../../../extensions/models';
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

async function setup(body: Buffer, options: FixtureOptions | ((http: RangeServer) => FixtureOptions) = {}): Promise<RangeServer> {
  const http = await RangeServer.start(body);
  server = http;
  const extra = typeof options === 'function' ? options(http) : options;
  fixture = await createModelsFixture({ downloadWorkerPath: workerPath, cancelGraceMs: 3000, ...extra });
  return http;
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

const failure = (promise: Promise<unknown>) => rejection(promise, ModelError);

async function stagedFiles(): Promise<string[]> {
  const staging = path.join(fixture.modelsFolder, '.downloads');
  if (!existsSync(staging)) return [];
  const keys = await readdir(staging);
  return (await Promise.all(keys.map(async (key) => (await readdir(path.join(staging, key))).map((name) => `${key}/${name}`)))).flat();
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
function abortAt(controller: AbortController, bytes: number, seen: DownloadProgress[]): (progress: DownloadProgress) => void {
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

    expect(model).toMatchObject({ id: 'stories260k', name: 'Stories', engine: 'llamacpp', metadata: { size: stories.length, sha256: STORIES_SHA256 } });
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

    const model = await fixture.models.downloadModel({ uri: 'hf:someone/tiny-GGUF/stories260K.gguf', sha256: STORIES_SHA256 });

    expect(model.id).toBe('stories260k');
    expect(model.sources[0]).toEqual({ filename: 'stories260K.gguf', url: 'hf:someone/tiny-GGUF/stories260K.gguf' });
    expect(http.requests.map((r) => r.path.split('?')[0])).toContain('/someone/tiny-GGUF/resolve/main/stories260K.gguf');
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

  it('after a dropped connection asks again only for the interrupted chunk', async () => {
    const big = makeGguf(3 * MiB);
    const http = await setup(big);
    http.behaviour = { dropOnceAfter: 3 * MiB };

    const model = await fixture.models.downloadModel({ uri: http.url('/big.gguf'), sha256: sha256(big) });

    const dropped = http.requests.find((r) => r.rangeStart !== undefined && r.bytesSent === 3 * MiB);
    expect(dropped).toBeDefined();
    const starts = http.requests.filter((r) => r.rangeStart !== undefined).map((r) => r.rangeStart!);
    expect(starts.every((start) => start % (5 * MiB) === 0)).toBe(true);
    expect(starts.filter((start) => start === dropped!.rangeStart)).toHaveLength(2);
    expect(new Set(starts).size).toBe(starts.length - 1);
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
    const download = fixture.models.downloadModel({ uri: http.url('/big.gguf') }, { signal: controller.signal, discardOnCancel: true });
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
      fixture.models.downloadModel({ uri: http.url('/stories260K.gguf') }, { signal: controller.signal, onProgress: abortAt(controller, 300_000, progress) }),
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

    controller.abort();
    expect((await failure(first)).code).toBe('CANCELLED');
  });

  it('a checksum mismatch removes the downloaded file and fails clearly', async () => {
    const http = await setup(stories);

    const error = await failure(fixture.models.downloadModel({ uri: http.url('/stories260K.gguf'), sha256: 'ab'.repeat(32) }));

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
    await fixture.models.downloadModel({ uri });
    expect((await failure(fixture.models.downloadModel({ uri }))).code).toBe('ALREADY_INSTALLED');
  });
});
