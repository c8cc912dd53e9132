import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendInstaller } from '../../../extensions/llamacpp/backends/install';
import { BackendDownloadCancelled } from '../../../extensions/llamacpp/backends/download';

const NAME = '@node-llama-cpp/linux-x64-cuda';
const VERSION = '3.22.1';
const root = mkdtempSync(path.join(tmpdir(), 'jan-backend-install-'));

/** An npm tarball of a package with a binary big enough to arrive in several chunks, a link and a manifest. */
async function makeTarball(name: string): Promise<Buffer> {
  const source = mkdtempSync(path.join(root, 'source-'));
  const folder = path.join(source, 'package');
  mkdirSync(path.join(folder, 'bins'), { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version: VERSION, main: 'dist/index.js' }));
  writeFileSync(path.join(folder, 'bins', 'llama-addon.node'), randomBytes(3 * 1024 * 1024));
  symlinkSync('/etc/passwd', path.join(folder, 'link'));
  const file = path.join(source, 'package.tgz');
  await createTar({ gzip: true, cwd: source, file, portable: true }, ['package']);
  return readFileSync(file);
}

const integrity = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/**
 * The npm registry's two answers the installer uses, on 127.0.0.1: a version document and the
 * tarball (HEAD for its size; GET with Range to resume). `mode` plays a failure on the next GET:
 * the connection cut halfway, or the body held halfway until the test releases it.
 */
class RegistryStandIn {
  tarball: Buffer = Buffer.alloc(0);
  announced = '';
  mode: 'whole' | 'cut' | 'hold' = 'whole';
  readonly ranges: Array<string | undefined> = [];
  private release: (() => void) | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      if (request.url === `/${NAME.replace('/', '%2f')}/${VERSION}`) {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            name: NAME,
            version: VERSION,
            dist: { tarball: `${this.url}/tarballs/cuda.tgz`, integrity: this.announced },
          }),
        );
      } else if (request.url === '/tarballs/cuda.tgz') {
        if (request.method === 'HEAD') {
          response.writeHead(200, { 'content-length': this.tarball.length });
          response.end();
          return;
        }
        this.ranges.push(request.headers.range);
        this.sendTarball(request.headers.range, response);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  releaseHeld(): void {
    this.release?.();
  }

  private sendTarball(range: string | undefined, response: ServerResponse): void {
    const from = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    const body = this.tarball.subarray(from);
    const headers: Record<string, string | number> = { 'content-length': body.length };
    if (range) headers['content-range'] = `bytes ${from}-${this.tarball.length - 1}/${this.tarball.length}`;
    response.writeHead(range ? 206 : 200, headers);
    const mode = this.mode;
    this.mode = 'whole';
    if (mode === 'whole') {
      response.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    response.write(body.subarray(0, half), () => {
      if (mode === 'cut') response.destroy();
      else
        this.release = () => {
          if (!response.destroyed) response.end(body.subarray(half));
        };
    });
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

describe('fetching a GPU backend package from the registry', () => {
  const registry = new RegistryStandIn();
  let folder: string;
  beforeAll(async () => {
    await registry.start();
  });
  afterEach(() => {
    registry.ranges.length = 0;
    registry.mode = 'whole';
  });
  afterAll(async () => {
    await registry.close();
    rmSync(root, { recursive: true, force: true });
  });
  const installer = () => {
    folder = mkdtempSync(path.join(root, 'backends-'));
    return new BackendInstaller(folder, `${registry.url}/`);
  };
  const placed = () => path.join(folder, 'node_modules', '@node-llama-cpp', 'linux-x64-cuda');

  it('shows the size before anything downloads, then installs the package checked against its sha512', async () => {
    registry.tarball = await makeTarball(NAME);
    registry.announced = integrity(registry.tarball);
    const backends = installer();
    const plan = await backends.plan([NAME], VERSION);
    expect(plan.totalBytes).toBe(registry.tarball.length);
    expect(registry.ranges).toEqual([]);
    expect(await backends.installed([NAME], VERSION)).toBe(false);
    const progress: number[] = [];
    await backends.install(plan, { onProgress: ({ receivedBytes }) => void progress.push(receivedBytes) });
    expect(progress.at(-1)).toBe(registry.tarball.length);
    expect(await backends.installed([NAME], VERSION)).toBe(true);
    expect(readFileSync(path.join(placed(), 'bins', 'llama-addon.node')).length).toBe(3 * 1024 * 1024);
    // Only files and folders are unpacked: the package's link is not.
    expect(() => lstatSync(path.join(placed(), 'link'))).toThrow();
  });

  it('refuses a tarball that does not match the registry integrity, and installs nothing', async () => {
    registry.tarball = await makeTarball(NAME);
    registry.announced = integrity(Buffer.from('something else'));
    const backends = installer();
    await expect(backends.install(await backends.plan([NAME], VERSION))).rejects.toThrow(
      /does not match the registry's sha512 integrity/,
    );
    expect(existsSync(placed())).toBe(false);
    expect(await backends.installed([NAME], VERSION)).toBe(false);
  });

  it('refuses a tarball whose manifest is another package', async () => {
    registry.tarball = await makeTarball('@node-llama-cpp/something-else');
    registry.announced = integrity(registry.tarball);
    const backends = installer();
    await expect(backends.install(await backends.plan([NAME], VERSION))).rejects.toThrow(
      /is @node-llama-cpp\/something-else@3\.22\.1; nothing was installed/,
    );
    expect(existsSync(placed())).toBe(false);
  });

  it('resumes from the byte where a cut connection stopped', async () => {
    registry.tarball = await makeTarball(NAME);
    registry.announced = integrity(registry.tarball);
    const backends = installer();
    const plan = await backends.plan([NAME], VERSION);
    registry.mode = 'cut';
    await expect(backends.install(plan)).rejects.toThrow(/was cut after \d+ bytes/);
    await backends.install(plan);
    expect(registry.ranges[0]).toBeUndefined();
    expect(registry.ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await backends.installed([NAME], VERSION)).toBe(true);
  });

  it('keeps what arrived when cancelled, and the next try resumes from it', async () => {
    registry.tarball = await makeTarball(NAME);
    registry.announced = integrity(registry.tarball);
    const backends = installer();
    const plan = await backends.plan([NAME], VERSION);
    registry.mode = 'hold';
    const cancel = new AbortController();
    const cancelled = backends.install(plan, {
      signal: cancel.signal,
      onProgress: ({ receivedBytes, totalBytes }) => {
        if (receivedBytes >= totalBytes / 2 - 1) cancel.abort();
      },
    });
    const error = await cancelled.catch((caught: unknown) => caught);
    registry.releaseHeld();
    expect(error).toBeInstanceOf(BackendDownloadCancelled);
    expect((error as BackendDownloadCancelled).keptBytes).toBeGreaterThan(0);
    expect(existsSync(placed())).toBe(false);
    await backends.install(plan);
    expect(registry.ranges[1]).toBe(`bytes=${(error as BackendDownloadCancelled).keptBytes}-`);
    expect(await backends.installed([NAME], VERSION)).toBe(true);
  });

  it('refuses a registry that is neither https nor this machine', async () => {
    const backends = new BackendInstaller(root, 'http://registry.example.com/');
    await expect(backends.plan([NAME], VERSION)).rejects.toThrow(/must use https/);
  });
});
