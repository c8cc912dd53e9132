import { readFile, writeFile, stat, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { generateApiKey } from '../server';

/**
 * The key of `serve`: `JAN_API_KEY`, else the `--key-file` (created 0600 with a new key when
 * missing; refused when others can read it), else a new key for this run. `generated` says
 * whether the user has not seen it yet, so it is printed exactly once.
 */
export async function resolveApiKey(
  env: NodeJS.ProcessEnv,
  keyFile: string | undefined,
): Promise<{ key: string; generated: boolean; source: string }> {
  if (env.JAN_API_KEY?.trim()) return { key: env.JAN_API_KEY.trim(), generated: false, source: 'JAN_API_KEY' };
  if (!keyFile) return { key: generateApiKey(), generated: true, source: 'generated for this run' };
  const info = await stat(keyFile).catch(() => undefined);
  if (!info) {
    const key = generateApiKey();
    await mkdir(path.dirname(keyFile), { recursive: true });
    await writeFile(keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, generated: true, source: keyFile };
  }
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new Error(
      `${keyFile} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it.`,
    );
  }
  const key = (await readFile(keyFile, 'utf8')).trim();
  if (!key) throw new Error(`${keyFile} is empty; delete it to have a new key generated.`);
  return { key, generated: false, source: keyFile };
}
