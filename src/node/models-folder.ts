import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * The models folder every editor flavour (VS Code, Insiders, VSCodium, Cursor, code-server…) and
 * the CLI share when none is set: in the user's data folder, not in one editor's own storage, so
 * a model downloaded in one is there in all of them. `JAN_MODELS_FOLDER` overrides it.
 */
export function sharedModelsFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.JAN_MODELS_FOLDER?.trim()) return env.JAN_MODELS_FOLDER.trim();
  const data =
    platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'));
  return path.join(data, 'jan-vscode', 'models');
}

/**
 * The shared folder, after an earlier version's models folder (an editor's own storage) was
 * moved into it: once, when the shared one does not exist yet, by a rename (instant, nothing
 * copied). When the rename cannot happen (another disk, no permission), the earlier folder stays
 * in use and `note` says why.
 */
export function adoptModelsFolder(earlier: string, shared = sharedModelsFolder()): { folder: string; note?: string } {
  if (existsSync(shared) || !existsSync(earlier)) return { folder: shared };
  try {
    mkdirSync(path.dirname(shared), { recursive: true });
    renameSync(earlier, shared);
    return {
      folder: shared,
      note: `Moved the models folder from ${earlier} to ${shared}, which every editor and the CLI share.`,
    };
  } catch (error) {
    // Another window may have moved it a moment ago.
    if (existsSync(shared)) return { folder: shared };
    return {
      folder: earlier,
      note: `The models stay in ${earlier}: they could not be moved to ${shared} (${(error as Error).message}). Set jan.modelsFolder to share them with other editors and the CLI.`,
    };
  }
}
