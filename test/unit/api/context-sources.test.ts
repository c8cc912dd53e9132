import { describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger, registrationsFor, type ContextItem } from '@jan/core';
import type { HostMessage } from '@jan/protocol';
import { ContextAttachments, contextHandlers } from '../../../src/vscode/chat/attachments';
import type { ContextSources } from '../../../src/vscode/chat/chat-backend';
import { WebviewChannel } from '../../../src/vscode/chat/webview-channel';

/** The editor's own sources: no files, nothing readable (the registered source is what is tested). */
const editor: ContextSources = {
  searchFiles: async () => [],
  read: async (): Promise<ContextItem> => {
    throw new Error('not an editor source');
  },
  codebase: async (): Promise<ContextItem> => {
    throw new Error('not asked here');
  },
};

function chat() {
  const logger = new MemoryLogger();
  // Nothing is read from these folders: the core's registries are what is tested.
  const { context } = new JanCore({ janFolder: '/nowhere/.jan', modelsFolder: '/nowhere/models', logger });
  const api = registrationsFor(context, { id: 'acme.tickets', displayName: 'Acme Tickets', kind: 'extension' });
  const channel = new WebviewChannel<HostMessage>();
  const sent: HostMessage[] = [];
  channel.attach((message) => sent.push(message));
  channel.markReady();
  const attachments = new ContextAttachments(editor, context.contextSources);
  const handlers = contextHandlers(attachments, editor, context.contextSources, channel, logger);
  return { api, handlers, sent, attachments, logger };
}

describe('an @ source another extension registered, in the chat', () => {
  it('is offered for a query and attached through the registry, its text cut to the cap', async () => {
    const { api, handlers, sent, attachments } = chat();
    const registration = api.registerContextSource({
      id: 'acme.tickets',
      label: 'Tickets',
      description: 'open tickets',
      icon: 'issues',
      search: async (query) => [{ item: 'T-1', label: `T-1 ${query}`, detail: 'Login fails' }],
      read: async (item) => ({ label: `Ticket ${item}`, text: 'The login form rejects valid passwords.' }),
    });
    await handlers.contextSearch({ type: 'contextSearch', query: 'login' });
    expect(sent.at(-1)).toEqual({
      type: 'contextResults',
      query: 'login',
      files: [],
      offers: [{ source: 'acme.tickets', item: 'T-1', label: 'T-1 login', detail: 'Login fails', icon: 'issues' }],
    });
    await handlers.attachContext({
      type: 'attachContext',
      source: { kind: 'registered', source: 'acme.tickets', item: 'T-1' },
    });
    const chip = sent.at(-1) as Extract<HostMessage, { type: 'contextAttached' }>;
    expect(chip.item.label).toBe('Ticket T-1');
    expect((await attachments.items([chip.item.id], ''))?.[0]).toMatchObject({
      kind: 'acme.tickets',
      text: 'The login form rejects valid passwords.',
    });
    registration.dispose();
    await handlers.contextSearch({ type: 'contextSearch', query: 'login' });
    expect(sent.at(-1)).toMatchObject({ offers: [] });
  });

  it('costs only its own offers when it fails, and says why in the log', async () => {
    const { api, handlers, sent, logger } = chat();
    api.registerContextSource({
      id: 'acme.broken',
      label: 'Broken',
      description: 'returns garbage',
      search: async () => 'not a list' as never,
      read: async () => ({ label: 'x', text: 'x' }),
    });
    await handlers.contextSearch({ type: 'contextSearch', query: '' });
    expect(sent.at(-1)).toMatchObject({ type: 'contextResults', offers: [] });
    expect(logger.lines.map((line) => line.message).join('\n')).toMatch(/Broken/);
  });
});
