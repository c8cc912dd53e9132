import * as vscode from 'vscode';
import { errorMessage } from '@jan/core';
import type { JanHost } from '../host';
import { PortInUseError, startApiServer } from '../../node/server';
import type { RunningApiServer } from '../../node/server';
import { apiKeyFromSecrets } from './api-key-secret';

/**
 * Jan: Start / Stop API Server and Copy API Key, and the status bar item while it runs (address,
 * requests in flight). The server serves the editor's own runtime, so the models, settings and
 * engines are the ones the chat uses.
 */
export class ApiServerController implements vscode.Disposable {
  private server: RunningApiServer | undefined;
  private starting: Promise<RunningApiServer | undefined> | undefined;
  private readonly item = vscode.window.createStatusBarItem('jan.apiServer', vscode.StatusBarAlignment.Right, 99);
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: JanHost) {
    this.item.name = 'Jan API Server';
    this.item.command = 'jan.copyApiKey';
  }

  get running(): RunningApiServer | undefined {
    return this.server;
  }

  /** Starts the server (once); a taken port offers the next free one. Resolves with the server, or undefined when it did not start. */
  start(port?: number): Promise<RunningApiServer | undefined> {
    if (this.server) return Promise.resolve(this.server);
    this.starting ??= this.startOn(port ?? this.host.runtime.settings.get('jan.apiServer.port')).finally(
      () => (this.starting = undefined),
    );
    return this.starting;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    void vscode.commands.executeCommand('setContext', 'jan.apiServerRunning', false);
    this.unsubscribe?.();
    this.item.hide();
    await server.close();
    void vscode.window.showInformationMessage('Jan API server stopped.');
  }

  async copyKey(): Promise<void> {
    await vscode.env.clipboard.writeText(await apiKeyFromSecrets(this.host.context.secrets));
    void vscode.window.showInformationMessage(
      this.server
        ? `API key copied. Base URL: ${this.server.baseUrl}`
        : 'API key copied. Run "Jan: Start API Server" to use it.',
    );
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
  }

  private async startOn(port: number): Promise<RunningApiServer | undefined> {
    try {
      const server = await startApiServer(this.host.runtime, {
        port,
        apiKey: await apiKeyFromSecrets(this.host.context.secrets),
        // A restricted workspace cannot open the server to other hosts or origins, or log prompts (the registry).
        allowedHosts: this.host.runtime.settings.get('jan.apiServer.allowedHosts'),
        corsOrigins: this.host.runtime.settings.get('jan.apiServer.corsOrigins'),
        logPrompts: this.host.runtime.settings.get('jan.apiServer.logPrompts'),
      });
      this.server = server;
      void vscode.commands.executeCommand('setContext', 'jan.apiServerRunning', true);
      this.unsubscribe = server.onInFlightChange(() => this.refresh());
      this.refresh();
      this.item.show();
      void vscode.window.showInformationMessage(
        `Jan API server on ${server.baseUrl}. "Jan: Copy API Key" copies its key.`,
      );
      return server;
    } catch (error) {
      if (error instanceof PortInUseError && error.nextFree) {
        const use = `Use port ${error.nextFree}`;
        if ((await vscode.window.showWarningMessage(error.message, use)) === use) return this.startOn(error.nextFree);
        return undefined;
      }
      this.host.log.error(`The API server did not start: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Jan: the API server did not start: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private refresh(): void {
    const server = this.server;
    if (!server) return;
    const inFlight = server.inFlight();
    this.item.text = `$(radio-tower) Jan API :${server.port}${inFlight > 0 ? ` · ${inFlight}` : ''}`;
    this.item.tooltip = `Jan API server on ${server.baseUrl}\n${inFlight} request${inFlight === 1 ? '' : 's'} in flight\nClick to copy the API key`;
  }
}
