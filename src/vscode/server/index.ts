import * as vscode from 'vscode';
import type { JanHost } from '../host';
import type { RunningApiServer } from '../../node/server';
import type { ApiServerController } from './api-server-controller';

/** The controller once a command created it (the server's code loads on first use). */
let created: ApiServerController | undefined;

/** The API server running in this window, if any (Jan: Quick Actions offers Start or Stop from it). */
export function runningApiServer(): RunningApiServer | undefined {
  return created?.running;
}

/**
 * Registers the API server commands. Its code loads when a command first runs, or at start when
 * `jan.apiServer.startWithEditor` is on (off by default: nothing listens unless the user asks).
 */
export function registerApiServer(host: JanHost, started: Promise<unknown>): void {
  let controller: Promise<ApiServerController> | undefined;
  const get = () =>
    (controller ??= import('./api-server-controller').then(({ ApiServerController }) => {
      created = new ApiServerController(host);
      host.context.subscriptions.push(created);
      return created;
    }));
  host.context.subscriptions.push(
    vscode.commands.registerCommand('jan.startApiServer', async () => void (await (await get()).start())),
    vscode.commands.registerCommand('jan.stopApiServer', async () => (await get()).stop()),
    vscode.commands.registerCommand('jan.copyApiKey', async () => (await get()).copyKey()),
  );
  // Only the user's own setting starts a server: a workspace cannot, trusted or not (the registry's `user-only`).
  if (host.runtime.settings.get('jan.apiServer.startWithEditor')) {
    void started.then(async () => (await get()).start());
  }
}
