import type * as vscode from 'vscode';
import type { Logger } from '@jan/core';

export function createLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (message, ...args) => channel.debug(message, ...args),
    info: (message, ...args) => channel.info(message, ...args),
    warn: (message, ...args) => channel.warn(message, ...args),
    error: (message, ...args) => channel.error(message, ...args),
  };
}
