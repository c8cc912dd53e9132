import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChatSession,
  ConversationService,
  InferenceService,
  JanCore,
  MAX_FILE_BYTES,
  MemoryLogger,
  alwaysInContext,
  estimateTokens,
  expandPatterns,
  fileContext,
} from '@jan/core';
import { ScopedAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { ScriptedEngine } from '../../support/scripted-engine';

let root: string;
const count = async (text: string) => estimateTokens(text);

function write(relative: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-context-'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('context files', () => {
  it('expands paths and globs in order, once each, never into node_modules or out of the workspace', async () => {
    write('CONTRIBUTING.md', 'rules');
    write('docs/style.md', 'style');
    write('docs/api/intro.md', 'intro');
    write('docs/notes.txt', 'notes');
    write('node_modules/pkg/README.md', 'vendored');
    expect(await expandPatterns(root, ['CONTRIBUTING.md', 'docs/*.md', '**/*.md', '../outside.md'])).toEqual([
      'CONTRIBUTING.md',
      'docs/style.md',
      'docs/api/intro.md',
    ]);
  });

  it('refuses binary files, cuts large ones and says so; a missing file says why', async () => {
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    write('big.log', 'line of text\n'.repeat(Math.ceil((MAX_FILE_BYTES * 2) / 13)));
    const binary = await fileContext(root, 'image.png', 1000, count);
    expect(binary).toMatchObject({ text: '', tokens: 0 });
    expect(binary.note).toMatch(/binary file/);
    const big = await fileContext(root, 'big.log', 1_000_000, count);
    expect(big.text.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
    expect(big.note).toMatch(/only the first 512 KB of 1\.0 MB were read/);
    const capped = await fileContext(root, 'big.log', 100, count);
    expect(capped.tokens).toBeLessThanOrEqual(100);
    expect(capped.tokens).toBeGreaterThan(80);
    expect(capped.text.endsWith('\n')).toBe(true);
    expect(capped.note).toMatch(/cut to 100 tokens/);
    expect((await fileContext(root, 'nope.md', 100, count)).note).toBe('not attached: not found');
    expect((await fileContext(root, '../etc/passwd', 100, count)).note).toBe('not attached: outside the workspace');
  });

  it('never follows a link out of the workspace: a file, a folder on the way, or the file a glob finds', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'jan-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
      mkdirSync(path.join(outside, 'docs'));
      writeFileSync(path.join(outside, 'docs', 'notes.md'), 'SECRET NOTES');
      write('inside.md', 'inside text');
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'notes.md'));
      symlinkSync(path.join(outside, 'docs'), path.join(root, 'docs'), 'dir');
      symlinkSync(path.join(root, 'inside.md'), path.join(root, 'alias.md'));
      for (const relative of ['notes.md', 'docs/notes.md']) {
        const item = await fileContext(root, relative, 1000, count);
        expect(item.text, relative).toBe('');
        expect(item.note, relative).toMatch(/^not attached: outside the workspace/);
      }
      // A link that stays inside is read like the file it names.
      expect((await fileContext(root, 'alias.md', 1000, count)).text).toBe('inside text');
      const items = await alwaysInContext(root, { files: ['*.md', 'docs/*.md'], tokenCap: 10_000 }, count);
      expect(items.map((item) => item.text).join('')).not.toContain('SECRET');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a FIFO without waiting for a writer, and a file with a NUL byte anywhere in what it reads', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    expect((await fileContext(root, 'pipe.md', 1000, count)).note).toBe('not attached: not a regular file');
    write('late-nul.txt', Buffer.concat([Buffer.from('a'.repeat(9000)), Buffer.from([0]), Buffer.from('tail')]));
    const late = await fileContext(root, 'late-nul.txt', 100_000, count);
    expect(late.text).toBe('');
    expect(late.note).toMatch(/binary file/);
  });

  it('keeps the always-in-context files together within the token cap, first files first', async () => {
    write('a.md', 'a'.repeat(400));
    write('b.md', 'b'.repeat(400));
    write('c.md', 'c'.repeat(400));
    const items = await alwaysInContext(root, { files: ['a.md', 'b.md', 'c.md'], tokenCap: 150 }, count);
    expect(items.map((item) => [item.label, item.tokens])).toEqual([
      ['a.md', 100],
      ['b.md', 50],
    ]);
  });
});

describe('an assistant with always-in-context files', () => {
  it('puts them after its instructions in the system message, read fresh each turn', async () => {
    write('CONTRIBUTING.md', 'Use tabs.');
    const core = new JanCore({
      janFolder: path.join(root, '.jan'),
      modelsFolder: path.join(root, 'models'),
      logger: new MemoryLogger(),
    });
    const conversational = new JanConversationalExtension(core.context);
    const assistants = new ScopedAssistantsExtension(core.context);
    core.register(conversational, assistants);
    await core.start();
    const engine = new ScriptedEngine({ id: 'remote', models: ['served-1'] });
    engine.reply = 'ok';
    core.engines.register(engine);
    const logger = core.context.logger;
    const inference = new InferenceService({
      engines: core.engines,
      events: core.events,
      logger,
      models: () => undefined,
      chosenModelId: () => 'served-1',
    });
    const conversation = new ConversationService({
      conversational,
      assistants,
      inference,
      events: core.events,
      logger,
      workspaceRoot: root,
    });
    const session = new ChatSession({
      conversational,
      assistants,
      inference,
      conversation,
      logger,
      activeThread: { load: () => undefined, save: async () => {} },
    });
    await assistants.createAssistant({
      id: 'styled',
      name: 'Styled',
      instructions: 'Follow the house style.',
      metadata: { context_files: ['CONTRIBUTING.md', 'missing.md'] },
    });
    await session.chooseAssistant(null, 'styled');
    const thread = await session.createThread();
    await conversation.send(thread.id, 'hi');
    const system = engine.requests[0]!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toBe(
      'Follow the house style.\n\nProject files that are always in context:\n\nCONTRIBUTING.md:\n```\nUse tabs.\n```',
    );
    write('CONTRIBUTING.md', 'Use spaces.');
    await conversation.send(thread.id, 'again');
    expect(engine.requests[1]!.messages[0]!.content).toContain('Use spaces.');
    await core.stop();
  });
});
