import type * as vscode from 'vscode';

const PREFIX = 'jan.remote.apiKey.';

/** Remote engines' API keys, only ever in VS Code's SecretStorage (the OS keychain), by engine id. */
export class RemoteKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(engineId: string): Promise<string | undefined> {
    return (await this.secrets.get(PREFIX + engineId)) || undefined;
  }

  /** An empty key deletes the stored one (a server that needs none). */
  async set(engineId: string, key: string): Promise<void> {
    if (key.trim()) await this.secrets.store(PREFIX + engineId, key.trim());
    else await this.secrets.delete(PREFIX + engineId);
  }

  async delete(engineId: string): Promise<void> {
    await this.secrets.delete(PREFIX + engineId);
  }
}
