import type * as vscode from 'vscode';
import { redactText, type Logger } from '@jan/core';

export function createLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (message, ...args) => channel.debug(message, ...args),
    info: (message, ...args) => channel.info(message, ...args),
    warn: (message, ...args) => channel.warn(message, ...args),
    error: (message, ...args) => channel.error(message, ...args),
  };
}

/** The channel's methods that write text. */
const WRITES = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return redactText(value.stack ?? value.message);
  return value;
}

/**
 * The Jan output channel with every line passing the one redaction (src/core/redact.ts), so the
 * editor's own log lines (a remote engine's base URL, an error's text) never show a URL's
 * credentials or query either; the runtime's lines are already redacted by the core. A line it
 * cannot write is dropped: once the window is closing VS Code's channel throws ("Channel has been
 * closed"), and a log line must not stop the shutdown that wrote it.
 */
export function redactingChannel(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && WRITES.has(property))
        return (...args: unknown[]) => {
          try {
            (value as (...args: unknown[]) => unknown).apply(target, args.map(redactValue));
          } catch {
            // Nowhere left to report it.
          }
        };
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
