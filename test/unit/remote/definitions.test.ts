import { describe, expect, it } from 'vitest';
import { isLoopback, parseDefinition, whereCodeGoes } from '../../../extensions/remote';
import { remoteSources } from '../../../src/vscode/remote/sources';

const entry = (fields: Record<string, unknown> = {}) => ({
  id: 'gpu',
  name: 'GPU',
  preset: 'vllm',
  baseUrl: 'http://gpu-box:8000/v1/',
  ...fields,
});

describe('remote engine definitions', () => {
  it("fills the preset's fill-in-the-middle mode and the defaults, and trims the URL", () => {
    expect(parseDefinition(entry())).toEqual({
      ok: true,
      definition: {
        id: 'gpu',
        name: 'GPU',
        preset: 'vllm',
        baseUrl: 'http://gpu-box:8000/v1',
        fim: 'completions-prefix',
        timeoutSeconds: 60,
        maxRetries: 2,
      },
    });
    expect(parseDefinition(entry({ preset: 'llamacpp-server' }))).toMatchObject({ definition: { fim: 'infill' } });
    expect(parseDefinition(entry({ preset: 'mistral', fim: 'completions-suffix' }))).toMatchObject({
      definition: { fim: 'completions-suffix' },
    });
  });

  it.each([
    [{ baseUrl: 'ftp://gpu-box/v1' }, 'baseUrl must start with http:// or https://'],
    [{ baseUrl: 'not a url' }, 'baseUrl is not a URL'],
    [
      { baseUrl: 'http://me:secret@gpu-box/v1' },
      'baseUrl must not carry a user name or password (the API key is asked separately)',
    ],
    [{ id: 'llamacpp' }, 'id is reserved for the local engine'],
    [{ id: 'Has Spaces' }, 'id must be 1-40 lowercase letters, digits or dashes'],
    [{ preset: 'skynet' }, 'preset is not a known preset'],
    [{ fim: 'magic' }, 'fim is not a known fill-in-the-middle mode'],
    [{ name: '  ' }, 'name is empty'],
  ])('refuses %o: %s', (fields, error) => {
    expect(parseDefinition(entry(fields))).toEqual({ ok: false, error });
  });

  it('knows which servers are on this machine', () => {
    expect(
      ['http://127.0.0.1:8080/v1', 'http://localhost:11434/v1', 'http://[::1]:8000/v1', 'http://127.1.2.3/v1'].map(
        isLoopback,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ['http://gpu-box:8000/v1', 'https://api.openai.com/v1', 'http://10.0.0.5/v1', 'http://localhost.evil.com/v1'].map(
        isLoopback,
      ),
    ).toEqual([false, false, false, false]);
    expect(whereCodeGoes('http://localhost:1337/v1')).toBe('local');
    expect(whereCodeGoes('https://api.mistral.ai/v1')).toBe('api.mistral.ai');
  });
});

describe('remote engines from the settings', () => {
  const inspected = {
    globalValue: [entry({ id: 'mine' })],
    workspaceValue: [entry({ id: 'team' })],
    workspaceFolderValue: [entry({ id: 'folder' })],
  };

  it("takes the user's entries, and a trusted workspace's marked as the workspace's", () => {
    const { sources, problems } = remoteSources(inspected, true);
    expect(sources.map((source) => [source.definition.id, source.fromWorkspace])).toEqual([
      ['mine', false],
      ['team', true],
      ['folder', true],
    ]);
    expect(problems).toEqual([]);
  });

  it('ignores every workspace entry in an untrusted workspace', () => {
    expect(remoteSources(inspected, false).sources.map((source) => source.definition.id)).toEqual(['mine']);
  });

  it('skips an entry that does not parse, saying which and why, and keeps the others', () => {
    const { sources, problems } = remoteSources(
      { globalValue: [entry({ baseUrl: 'gpu-box' }), entry({ id: 'ok' })], workspaceValue: 'oops' },
      true,
    );
    expect(sources.map((source) => source.definition.id)).toEqual(['ok']);
    expect(problems).toEqual([
      'jan.remote.engines[0] in the user settings is ignored: baseUrl is not a URL.',
      'jan.remote.engines in the workspace settings is not a list; it is ignored.',
    ]);
  });
});
