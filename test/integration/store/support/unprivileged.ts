/**
 * A store child that cannot write what the test made read-only. Root writes through any mode, so
 * when the tests run as root the child runs as `nobody` (uid 65534). `nobody` may not be able to
 * read the checkout at all (a fresh `mktemp -d` clone is 0700, so is a container's /root), so the
 * child needs nothing from it: it is one bundle in a temp folder of its own (the test data goes
 * there too), started without the test runner's preload (`execArgv`, `NODE_OPTIONS`) and from that
 * folder, and with a copy of node when node itself sits where `nobody` cannot reach it.
 */
import type { ForkOptions } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleStandalone } from '../../../support/bundle-entry';

const NOBODY = 65534;

export interface ChildHome {
  /** A folder the child can read (0755): its bundle, and the test data beside it. */
  folder: string;
  /** How to fork the child there: as `nobody` when the tests run as root. */
  fork: ForkOptions;
}

/** Where the child can run, or why it cannot anywhere on this machine. */
export type ChildHomeResult = { ok: true; home: ChildHome } | { ok: false; problem: string };

function cleanEnv(folder: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: folder };
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a one-line script as the child would be run: does node start there, as that user? */
function probe(folder: string, options: ForkOptions, execPath: string): string | undefined {
  const script = path.join(folder, 'probe.mjs');
  writeFileSync(script, 'process.exit(0);\n');
  chmodSync(script, 0o644);
  const run = spawnSync(execPath, [script], { ...options, stdio: 'pipe', encoding: 'utf8' });
  if (run.status === 0) return undefined;
  return run.error ? run.error.message : `exit ${run.status ?? run.signal}: ${run.stderr.trim().split('\n')[0]}`;
}

/**
 * A temp folder the child can run in, found synchronously (the test's title says when there is
 * none). Tried in order: the system's temp folder, then the usual world-readable ones.
 */
export function childHome(): ChildHomeResult {
  const asRoot = process.getuid?.() === 0;
  const tried: string[] = [];
  for (const base of new Set([tmpdir(), '/tmp', '/var/tmp', '/dev/shm'])) {
    let folder: string;
    try {
      folder = mkdtempSync(path.join(base, 'jan-child-'));
      chmodSync(folder, 0o755);
    } catch (error) {
      tried.push(`${base}: ${(error as Error).message}`);
      continue;
    }
    const options: ForkOptions = {
      cwd: folder,
      env: cleanEnv(folder),
      execArgv: [],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    };
    let problem = probe(folder, options, process.execPath);
    let execPath = process.execPath;
    if (problem && asRoot) {
      // node itself may be in a private folder (nvm under /root): a copy beside the bundle.
      execPath = path.join(folder, 'node');
      copyFileSync(process.execPath, execPath);
      chmodSync(execPath, 0o755);
      problem = probe(folder, options, execPath);
    }
    if (!problem) return { ok: true, home: { folder, fork: { ...options, execPath } } };
    tried.push(`${base}: ${problem}`);
    rmSync(folder, { recursive: true, force: true });
  }
  return {
    ok: false,
    problem: `no folder where ${asRoot ? 'the user nobody' : 'a child'} can run node (${tried.join('; ')})`,
  };
}

/** The store child bundled into the home folder, readable by the child's user. */
export async function bundleChild(home: ChildHome): Promise<string> {
  const bundle = await bundleStandalone(
    'test/integration/store/support/store-child.ts',
    path.join(home.folder, 'store-child.mjs'),
  );
  chmodSync(bundle, 0o644);
  return bundle;
}
