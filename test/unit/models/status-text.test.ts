import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '@jan/core';
import { describeStatus } from '../../../src/vscode/models/status-text';

const report = (status: EngineStatus, engine = 'llama.cpp') => ({ engine, status });
const chatOnly = (chat: string | undefined) => ({ chat, completionEnabled: true });

describe('status bar text', () => {
  it('names the configured chat model when nothing is loaded', () => {
    expect(describeStatus([report({ state: 'idle' })], chatOnly('qwen2.5-1.5b-instruct'))).toMatchObject({
      state: 'idle',
      text: '$(hubot) qwen2.5-1.5b-instruct',
    });
    expect(describeStatus([], chatOnly(undefined))).toMatchObject({ state: 'idle', text: '$(hubot) Jan: no model' });
  });

  it('shows model, state and the last tokens/s', () => {
    expect(describeStatus([report({ state: 'ready', modelId: 'm', lastTokensPerSecond: 34.4 })], chatOnly('m')).text).toBe('$(hubot) m · 34 tok/s');
    expect(describeStatus([report({ state: 'generating', modelId: 'm', lastTokensPerSecond: 5.25 })], chatOnly('m')).text).toBe(
      '$(sync~spin) m · generating · 5.3 tok/s',
    );
    expect(describeStatus([report({ state: 'loading', modelId: 'm', lastTokensPerSecond: 9 })], chatOnly('m')).text).toBe('$(loading~spin) m · loading');
    expect(describeStatus([report({ state: 'ready', modelId: 'm' })], chatOnly('m')).text).toBe('$(hubot) m');
  });

  it('names models as the pickers do, and shows the completion model and whether completion is on', () => {
    const names: Record<string, string> = { 'stories260k-chatml-fim': 'stories260K chatml fim', 'qwen2.5-coder-0.5b': 'Qwen2.5 Coder 0.5B' };
    const nameOf = (id: string) => names[id] ?? id;
    const on = { chat: 'stories260k-chatml-fim', completion: 'qwen2.5-coder-0.5b', completionEnabled: true };
    const idle = describeStatus([report({ state: 'idle' })], on, nameOf);
    expect(idle.text).toBe('$(hubot) stories260K chatml fim · $(sparkle) Qwen2.5 Coder 0.5B');
    expect(idle.tooltip).toContain('Completion: Qwen2.5 Coder 0.5B, on.');
    const off = describeStatus([report({ state: 'ready', modelId: 'stories260k-chatml-fim' })], { ...on, completionEnabled: false }, nameOf);
    expect(off.text).toBe('$(hubot) stories260K chatml fim · $(sparkle) completion off');
    expect(off.tooltip).toContain('Qwen2.5 Coder 0.5B, off');
    expect(describeStatus([], { chat: 'stories260k-chatml-fim', completionEnabled: true }, nameOf).tooltip).toContain('Completion: no model selected.');
  });

  it('puts the error in the tooltip', () => {
    const view = describeStatus([report({ state: 'error', modelId: 'm', error: 'the worker crashed' })], chatOnly('m'));
    expect(view.text).toBe('$(error) m · error');
    expect(view.tooltip).toContain('the worker crashed');
  });

  it('shows the busiest engine when several report', () => {
    const view = describeStatus([report({ state: 'ready', modelId: 'chat' }), report({ state: 'generating', modelId: 'remote' }, 'OpenAI')], chatOnly('chat'));
    expect(view).toMatchObject({ state: 'generating', text: '$(sync~spin) remote · generating' });
    expect(view.tooltip).toContain('OpenAI');
  });
});
