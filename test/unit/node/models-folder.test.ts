import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adoptModelsFolder, sharedModelsFolder } from '../../../src/node/models-folder';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-models-folder-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the models folder every editor flavour and the CLI share', () => {
  it("is in the user's data folder on each platform, whatever the editor, and JAN_MODELS_FOLDER overrides it", () => {
    expect(sharedModelsFolder({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/jan-vscode/models');
    expect(sharedModelsFolder({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/jan-vscode/models');
    expect(sharedModelsFolder({}, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/jan-vscode/models',
    );
    expect(sharedModelsFolder({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      path.join('C:\\Users\\ada\\AppData\\Roaming', 'jan-vscode', 'models'),
    );
    expect(sharedModelsFolder({ JAN_MODELS_FOLDER: '/mnt/models' }, 'linux', '/home/ada')).toBe('/mnt/models');
  });

  it("moves an earlier version's folder (an editor's own storage) into it once, files intact", () => {
    const earlier = path.join(root, 'Code', 'User', 'globalStorage', 'jan-vscode.jan-vscode', 'models');
    mkdirSync(path.join(earlier, 'my-model'), { recursive: true });
    writeFileSync(path.join(earlier, 'my-model', 'model.json'), '{"id":"my-model"}');
    const shared = path.join(root, 'share', 'jan-vscode', 'models');
    const adopted = adoptModelsFolder(earlier, shared);
    expect(adopted.folder).toBe(shared);
    expect(adopted.note).toContain(`to ${shared}`);
    expect(readFileSync(path.join(shared, 'my-model', 'model.json'), 'utf8')).toBe('{"id":"my-model"}');
    expect(existsSync(earlier)).toBe(false);
    // Another editor flavour with its own earlier folder keeps it: the shared one exists now.
    const other = path.join(root, 'code-server', 'models');
    mkdirSync(other, { recursive: true });
    expect(adoptModelsFolder(other, shared)).toEqual({ folder: shared });
    expect(existsSync(other)).toBe(true);
  });

  it('uses the shared folder when there is no earlier one, and keeps the earlier one when it cannot be moved', () => {
    const shared = path.join(root, 'share', 'jan-vscode', 'models');
    expect(adoptModelsFolder(path.join(root, 'none'), shared)).toEqual({ folder: shared });
    const earlier = path.join(root, 'earlier');
    mkdirSync(earlier);
    // A file where the shared folder's parent should be: the move fails.
    writeFileSync(path.join(root, 'blocked'), '');
    const adopted = adoptModelsFolder(earlier, path.join(root, 'blocked', 'models'));
    expect(adopted.folder).toBe(earlier);
    expect(adopted.note).toMatch(/stay in .*earlier.*could not be moved/);
  });
});
