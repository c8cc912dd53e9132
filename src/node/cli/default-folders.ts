import { homedir } from 'node:os';
import * as path from 'node:path';

/** The extension's id (`publisher.name` in package.json): VS Code names its global storage folder after it. */
const EXTENSION_ID = 'jan-vscode.jan-vscode';

/**
 * The models folder the editor uses when `jan.modelsFolder` is not set: the extension's global
 * storage (src/vscode/activate.ts). `JAN_MODELS_FOLDER` overrides it, as `--models` does.
 */
export function defaultModelsFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.JAN_MODELS_FOLDER) return env.JAN_MODELS_FOLDER;
  const home = homedir();
  const userData =
    platform === 'win32'
      ? path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Code')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'Code')
        : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Code');
  return path.join(userData, 'User', 'globalStorage', EXTENSION_ID, 'models');
}
