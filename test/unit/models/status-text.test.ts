import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '@jan/core';
import type { Model } from '@jan/core';
import { installedItemText } from '../../../src/vscode/models/model-items';
import { describeStatus } from '../../../src/vscode/models/status-text';
import { displayText } from '../../../src/vscode/display-text';

const report = (status: EngineStatus, engine = 'llama.cpp', destination?: string) => ({ engine, status, destination });

describe('status bar text', () => {
  it('names the configured chat model when nothing is loaded', () => {
    expect(describeStatus([report({ state: 'idle' })], 'qwen2.5-1.5b-instruct')).toMatchObject({
      state: 'idle',
      text: '$(hubot) qwen2.5-1.5b-instruct · local',
    });
    expect(describeStatus([], undefined)).toMatchObject({ state: 'idle', text: '$(hubot) Jan: no model' });
  });

  it('shows model, state and the last tokens/s', () => {
    expect(describeStatus([report({ state: 'ready', modelId: 'm', lastTokensPerSecond: 34.4 })], 'm').text).toBe('$(hubot) m · 34 tok/s · local');
    expect(describeStatus([report({ state: 'generating', modelId: 'm', lastTokensPerSecond: 5.25 })], 'm').text).toBe(
      '$(sync~spin) m · generating · 5.3 tok/s · local',
    );
    expect(describeStatus([report({ state: 'loading', modelId: 'm', lastTokensPerSecond: 9 })], 'm').text).toBe('$(loading~spin) m · loading · local');
    expect(describeStatus([report({ state: 'ready', modelId: 'm' })], 'm').text).toBe('$(hubot) m · local');
  });

  it('puts the error in the tooltip', () => {
    const view = describeStatus([report({ state: 'error', modelId: 'm', error: 'the worker crashed' })], 'm');
    expect(view.text).toBe('$(error) m · error · local');
    expect(view.tooltip).toContain('the worker crashed');
  });

  it('shows the busiest engine when several report', () => {
    const view = describeStatus(
      [report({ state: 'ready', modelId: 'chat' }), report({ state: 'generating', modelId: 'remote' }, 'OpenAI', 'api.openai.com')],
      'chat',
    );
    expect(view).toMatchObject({ state: 'generating', text: '$(sync~spin) remote · generating · api.openai.com' });
    expect(view.tooltip).toContain('OpenAI, sending code to api.openai.com');
  });

  it('at rest names the configured model, not another model an engine still holds', () => {
    const reports = [report({ state: 'ready', modelId: 'local-model' }), report({ state: 'idle' }, 'GPU box', 'gpu-box:8000')];
    expect(describeStatus(reports, 'gpu-box/coder', 'gpu-box:8000').text).toBe('$(hubot) gpu-box/coder · gpu-box:8000');
    const answered = [report({ state: 'ready', modelId: 'local-model' }), report({ state: 'ready', modelId: 'gpu-box/coder' }, 'GPU box', 'gpu-box:8000')];
    expect(describeStatus(answered, 'gpu-box/coder', 'gpu-box:8000').text).toBe('$(hubot) gpu-box/coder · gpu-box:8000');
  });

  it('says where the configured model runs while nothing is loaded', () => {
    const view = describeStatus([report({ state: 'idle' })], 'gpu-box/qwen2.5-coder-7b', 'gpu-box:8000');
    expect(view.text).toBe('$(hubot) gpu-box/qwen2.5-coder-7b · gpu-box:8000');
    expect(view.tooltip).toContain('sending code to gpu-box:8000');
  });

  it('shows a workspace-controlled model name as data: codicons escaped, no control or direction characters, bounded', () => {
    const spoof = 'm $(check) verified $(sync~spin)';
    const idle = describeStatus([], spoof);
    expect(idle.text).toBe('$(hubot) m \\$(check) verified \\$(sync~spin) · local');
    expect(idle.tooltip).not.toMatch(/(^|[^\\])\$\(/);
    const loaded = describeStatus([report({ state: 'ready', modelId: 'x$(error)' })], undefined);
    expect(loaded.text).toBe('$(hubot) x\\$(error) · local');
    expect(describeStatus([], 'a\u202Eevil\nline\u0000two\u200B').text).toBe('$(hubot) aevil line two · local');
    expect(describeStatus([], 'x'.repeat(500)).text.length).toBeLessThan(80);
  });

  it('escapes codicons in every picker field a model file controls', () => {
    const model = {
      id: 'm',
      name: '$(check) Official $(shield)',
      description: 'desc $(warning)',
      engine: 'llamacpp$(x)',
      metadata: { size: 10 },
    } as unknown as Model;
    const text = installedItemText(model, '', false);
    expect(text.label).toBe('$(hubot) \\$(check) Official \\$(shield)');
    expect(text.description).toContain('llamacpp\\$(x)');
    expect(text.detail).toBe('desc \\$(warning)');
  });

  it('displayText leaves an already escaped codicon escaped once', () => {
    expect(displayText('\\$(x) $(y)')).toBe('\\$(x) \\$(y)');
  });

  it('displayText breaks the link syntax notifications render, so a model name cannot carry a command link', () => {
    expect(displayText('[Update now](command:workbench.action.terminal.new)')).toBe('[Update now] (command:workbench.action.terminal.new)');
  });
});
