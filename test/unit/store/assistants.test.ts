import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Assistant } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { expectJanAssistant, janReadsAssistant } from './support/jan-reader';
import { storeError, removeTempWorkspaces, snapshot, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

function setup() {
  const { jan } = tempWorkspace();
  const test = testCore(jan);
  return { jan, ...test, store: new JanAssistantsExtension(test.core) };
}

describe('JanAssistantsExtension', () => {
  it('creates the default "Jan" on the first list, not at load, in Jan format, once', async () => {
    const { jan, store, events } = setup();
    await store.onLoad();
    expect(existsSync(jan)).toBe(false);
    expect((await store.getAssistant('jan'))?.name).toBe('Jan');
    expect(existsSync(jan)).toBe(false);

    const first = await store.listAssistants();
    expect(first.assistants.map((a) => a.id)).toEqual(['jan']);
    expectJanAssistant(janReadsAssistant(jan, 'jan'), 'jan');
    const file = path.join(jan, 'assistants', 'jan', 'assistant.json');
    const written = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;

    const second = await store.listAssistants();
    expect(second.assistants).toEqual(first.assistants);
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(events.filter((e) => e.name === 'OnAssistantsChanged')).toHaveLength(1);
  });

  it('creates, updates and deletes assistants; ids come from names and never collide', async () => {
    const { jan, store, events } = setup();
    const reviewer = await store.createAssistant({ name: 'Code Reviewer', instructions: 'Review diffs.' });
    const second = await store.createAssistant({ name: 'Code Reviewer' });
    expect([reviewer.id, second.id]).toEqual(['code-reviewer', 'code-reviewer-2']);
    expectJanAssistant(janReadsAssistant(jan, 'code-reviewer'), 'code-reviewer');

    const updated = await store.updateAssistant('code-reviewer', {
      instructions: 'Review diffs strictly.',
      model: 'qwen2.5-coder',
    });
    expect(await store.getAssistant('code-reviewer')).toEqual(updated);
    expect(updated).toMatchObject({
      name: 'Code Reviewer',
      instructions: 'Review diffs strictly.',
      model: 'qwen2.5-coder',
    });

    await store.deleteAssistant('code-reviewer-2');
    expect(existsSync(path.join(jan, 'assistants', 'code-reviewer-2'))).toBe(false);
    expect((await store.listAssistants()).assistants.map((a) => a.id)).toEqual(['code-reviewer']);
    expect((await storeError(store.deleteAssistant('jan'))).code).toBe('NOT_ALLOWED');
    expect((await storeError(store.createAssistant({ id: 'code-reviewer', name: 'x' }))).message).toMatch(
      /already exists/,
    );
    expect((await storeError(store.updateAssistant('nobody', { name: 'x' }))).code).toBe('NOT_FOUND');
    const changes = events
      .filter((e) => e.name === 'OnAssistantsChanged')
      .map((e) => (e.payload as Assistant[]).map((a) => a.id));
    expect(changes).toEqual([
      ['code-reviewer'],
      ['code-reviewer', 'code-reviewer-2'],
      ['code-reviewer', 'code-reviewer-2'],
      ['code-reviewer'],
    ]);
  });

  it('reports an invalid assistant.json, never overwrites it, and refuses to create over it', async () => {
    const { jan, store } = setup();
    mkdirSync(path.join(jan, 'assistants', 'jan'), { recursive: true });
    writeFileSync(path.join(jan, 'assistants', 'jan', 'assistant.json'), '{"name": "Jan", "tools": [');
    mkdirSync(path.join(jan, 'assistants', 'helper'));
    writeFileSync(path.join(jan, 'assistants', 'helper', 'assistant.json'), '{"name": 42}');
    const before = snapshot(jan);

    const page = await store.listAssistants();
    expect(page.assistants).toEqual([]);
    expect(page.warnings).toHaveLength(2);
    expect(page.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/jan.assistant\.json cannot be read \(not valid JSON.*left as it is/),
        expect.stringMatching(
          /helper.assistant\.json is not a valid assistant \("name" should be a string.*left as it is/,
        ),
      ]),
    );

    const clash = await storeError(store.createAssistant({ id: 'jan', name: 'Jan' }));
    expect(clash.code).toBe('ALREADY_EXISTS');
    expect(clash.message).toMatch(/cannot be read.*Fix or remove it, or choose another id/);
    expect((await storeError(store.updateAssistant('helper', { name: 'fixed' }))).code).toBe('INVALID_FILE');
    expect((await storeError(store.getAssistant('jan'))).code).toBe('INVALID_FILE');
    // The refused writes may have created .jan/.gitignore (first write); the assistants are untouched.
    const { '.gitignore': _gitignore, ...after } = snapshot(jan);
    expect(after).toEqual(before);
  });

  it('still creates "Jan" when the only other assistant file is unreadable', async () => {
    const { jan, store } = setup();
    mkdirSync(path.join(jan, 'assistants', 'broken'), { recursive: true });
    writeFileSync(path.join(jan, 'assistants', 'broken', 'assistant.json'), 'garbage');
    const page = await store.listAssistants();
    expect(page.assistants.map((a) => a.id)).toEqual(['jan']);
    expect(page.warnings).toHaveLength(1);
    expect(readFileSync(path.join(jan, 'assistants', 'broken', 'assistant.json'), 'utf8')).toBe('garbage');
  });
});
