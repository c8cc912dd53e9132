import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlingWarningNote } from '../../../scripts/package.mjs';
import { startLocations, stepPrinter } from '../../../scripts/start-locations.mjs';

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

  it("explains vsce's bundling warning when vsce gives it, and only then", () => {
    const runtime = Array.from({ length: 150 }, (_, index) => `node_modules/node-llama-cpp/dist/file${index}.js`);
    const note = bundlingWarningNote(['dist/extension.js', 'dist/webview.js', ...runtime, 'package.json']);
    expect(note).toContain('2 files in dist/');
    expect(note).toContain("the other 150 JavaScript files are node-llama-cpp's runtime");
    expect(bundlingWarningNote(['dist/extension.js', 'package.json'])).toBeUndefined();
  });
});
