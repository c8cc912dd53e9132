import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlingWarningNote } from '../../../scripts/package.mjs';
import { formatElapsed, startLocations, stepPrinter, stillRunning } from '../../../scripts/start-locations.mjs';

const repository = path.resolve(__dirname, '../../..');

/** The nearest folder at or above `folder` holding a .git, as VS Code's git extension looks for one. */
function enclosingRepository(folder: string): string | undefined {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

describe('npm start', () => {
  it('keeps its workspace and profile outside the repository (no "parent git repository" prompt)', () => {
    const locations = startLocations({ env: {}, home: '/home/dev', platform: 'linux' });
    expect(locations.workspace).toBe('/home/dev/.cache/jan-vscode-start/workspace');
    const real = startLocations();
    expect(path.relative(repository, real.workspace).startsWith('..')).toBe(true);
    expect(enclosingRepository(path.dirname(real.workspace))).not.toBe(enclosingRepository(repository));
    expect(startLocations({ env: { XDG_CACHE_HOME: '/c' }, home: '/h', platform: 'linux' }).userDataDir).toBe(
      '/c/jan-vscode-start/user-data',
    );
  });

  it('prints each step as it starts and how long it took', async () => {
    const lines: string[] = [];
    let clock = 0;
    const step = stepPrinter(
      2,
      (line) => lines.push(line),
      () => clock,
    );
    expect(await step('Installing', () => ((clock += 1500), 'tools'))).toBe('tools');
    await step('Starting', async () => undefined);
    expect(lines).toEqual(['[1/2] Installing', '[1/2] done in 1.5 s', '[2/2] Starting', '[2/2] done in 0.0 s']);
  });

  it('says a long step is still running, for how long and how long it usually takes, only while it is quiet', () => {
    const lines: string[] = [];
    let clock = 0;
    let tick: () => void = () => undefined;
    let cancelled = false;
    const watch = stillRunning(
      { what: 'installing code-server', usually: 'usually 5 to 15 minutes', quietMs: 30_000 },
      {
        print: (line) => lines.push(line),
        now: () => clock,
        every: (run) => ((tick = run), 'timer'),
        cancel: () => void (cancelled = true),
      },
    );
    clock = 20_000;
    tick();
    expect(lines).toEqual([]);
    clock = 30_000;
    tick();
    expect(lines).toEqual(['… still installing code-server: 30 s so far (usually 5 to 15 minutes)']);
    // Output resets the quiet time: nothing is added while the install prints.
    clock = 50_000;
    watch.saw();
    clock = 70_000;
    tick();
    expect(lines).toHaveLength(1);
    clock = 125_000;
    tick();
    expect(lines[1]).toBe('… still installing code-server: 2 min 05 s so far (usually 5 to 15 minutes)');
    watch.stop();
    expect(cancelled).toBe(true);
    expect(formatElapsed(59_999)).toBe('59 s');
  });

  it("explains vsce's bundling warning when vsce gives it, and only then", () => {
    const runtime = Array.from({ length: 150 }, (_, index) => `node_modules/node-llama-cpp/dist/file${index}.js`);
    const note = bundlingWarningNote(['dist/extension.js', 'dist/webview.js', ...runtime, 'package.json']);
    expect(note).toContain('2 files in dist/');
    expect(note).toContain("the other 150 JavaScript files are node-llama-cpp's runtime");
    expect(bundlingWarningNote(['dist/extension.js', 'package.json'])).toBeUndefined();
  });
});
