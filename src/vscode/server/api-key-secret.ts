import type * as vscode from 'vscode';
import { generateApiKey } from '../../node/server';

const SECRET_KEY = 'jan.apiServer.key';

/** The API server's key, kept in VS Code's SecretStorage (never in settings or logs); made on first start. */
export async function apiKeyFromSecrets(secrets: vscode.SecretStorage): Promise<string> {
  const stored = await secrets.get(SECRET_KEY);
  if (stored) return stored;
  const key = generateApiKey();
  await secrets.store(SECRET_KEY, key);
  return key;
}
