import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { REDACTED } from '@jan/core';
import { redactingChannel } from '../../src/vscode/logger';

/** The Jan output channel as activate.ts creates it: every write passes the one redaction. */
describe('the Jan output channel', () => {
  it('never shows a URL credential, a query or a bearer token, whichever method writes', () => {
    const written: string[] = [];
    const record = (...args: unknown[]) => void written.push(args.map(String).join(' '));
    const channel = {
      name: 'Jan',
      trace: record,
      debug: record,
      info: record,
      warn: record,
      error: record,
      append: record,
      appendLine: record,
      replace: record,
      show: () => written.push('shown'),
    } as unknown as vscode.LogOutputChannel;
    const log = redactingChannel(channel);

    log.info('Added the remote engine Box (https://box.example/v1?api-key=SECRET, openai).');
    log.warn('redirect to ftp://user:SECRET@mirror.example/m.gguf');
    log.error(new Error('GET https://host/m.gguf?sig=SECRET failed'));
    log.appendLine('Authorization: Bearer SECRET');
    log.debug('x', 'hf:user/repo/m.gguf?token=SECRET');
    log.show();

    expect(log.name).toBe('Jan');
    expect(written.join('\n')).not.toContain('SECRET');
    expect(written).toContain('Added the remote engine Box (https://box.example/v1, openai).');
    expect(written).toContain(`Authorization: Bearer ${REDACTED}`);
    expect(written.at(-1)).toBe('shown');
  });

  it('drops a line it cannot write (the channel closed while the window shuts down) instead of throwing', () => {
    const closed = () => {
      throw new Error('Channel has been closed');
    };
    const channel = {
      name: 'Jan',
      info: closed,
      error: closed,
      appendLine: closed,
    } as unknown as vscode.LogOutputChannel;
    const log = redactingChannel(channel);
    expect(() => log.info('Jan stopped')).not.toThrow();
    expect(() => log.error(new Error('failed to unload'))).not.toThrow();
    expect(() => log.appendLine('x')).not.toThrow();
  });
});
