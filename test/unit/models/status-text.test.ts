import { describe, expect, it } from 'vitest';
import { ON_THIS_MACHINE, type EngineStatus, type RunsOn } from '@jan/core';
import type { Model } from '@jan/core';
import { installedItemText } from '../../../src/vscode/models/model-items';
import { describeStatus } from '../../../src/vscode/models/status-text';
import { displayText } from '../../../src/vscode/display-text';

const report = (status: EngineStatus, engine = 'llama.cpp', runsOn: RunsOn = ON_THIS_MACHINE) => ({
  engine,
  status,
  runsOn,
});
const remote = (host: string): RunsOn => ({ kind: 'remote', host });
const chatOnly = (chat: string | undefined) => ({ chat, chatRunsOn: ON_THIS_MACHINE, completionEnabled: true });

describe('status bar text', () => {
  it('names the configured chat model when nothing is loaded', () => {
    expect(describeStatus([report({ state: 'idle' })], chatOnly('qwen2.5-1.5b-instruct'))).toMatchObject({
      state: 'idle',
      text: '$(hubot) qwen2.5-1.5b-instruct · local',
    });
    expect(describeStatus([], chatOnly(undefined))).toMatchObject({ state: 'idle', text: '$(hubot) Jan: no model' });
  });

  it('shows model, state and the last tokens/s', () => {
    expect(
      describeStatus([report({ state: 'ready', modelId: 'm', lastTokensPerSecond: 34.4 })], chatOnly('m')).text,
    ).toBe('$(hubot) m · 34 tok/s · local');
    expect(
      describeStatus([report({ state: 'generating', modelId: 'm', lastTokensPerSecond: 5.25 })], chatOnly('m')).text,
    ).toBe('$(sync~spin) m · generating · 5.3 tok/s · local');
    expect(
      describeStatus([report({ state: 'loading', modelId: 'm', lastTokensPerSecond: 9 })], chatOnly('m')).text,
    ).toBe('$(loading~spin) m · loading · local');
    expect(describeStatus([report({ state: 'ready', modelId: 'm' })], chatOnly('m')).text).toBe('$(hubot) m · local');
  });

  it('names models as the pickers do, and shows the completion model and whether completion is on', () => {
    const names: Record<string, string> = {
      'stories260k-chatml-fim': 'stories260K chatml fim',
      'qwen2.5-coder-0.5b': 'Qwen2.5 Coder 0.5B',
    };
    const nameOf = (id: string) => names[id] ?? id;
    const on = {
      chat: 'stories260k-chatml-fim',
      chatRunsOn: ON_THIS_MACHINE,
      completion: 'qwen2.5-coder-0.5b',
      completionEnabled: true,
    };
    const idle = describeStatus([report({ state: 'idle' })], on, nameOf);
    expect(idle.text).toBe('$(hubot) stories260K chatml fim · local · $(sparkle) Qwen2.5 Coder 0.5B');
    expect(idle.tooltip).toContain('Completion: Qwen2.5 Coder 0.5B, on.');
    const off = describeStatus(
      [report({ state: 'ready', modelId: 'stories260k-chatml-fim' })],
      { ...on, completionEnabled: false },
      nameOf,
    );
    expect(off.text).toBe('$(hubot) stories260K chatml fim · local · $(sparkle) completion off');
    expect(off.tooltip).toContain('Qwen2.5 Coder 0.5B, off');
    expect(describeStatus([], { chat: 'stories260k-chatml-fim', completionEnabled: true }, nameOf).tooltip).toContain(
      'Completion: no model selected.',
    );
  });

  it('puts the error in the tooltip', () => {
    const view = describeStatus([report({ state: 'error', modelId: 'm', error: 'the worker crashed' })], chatOnly('m'));
    expect(view.text).toBe('$(error) m · error · local');
    expect(view.tooltip).toContain('the worker crashed');
  });

  it('shows the busiest engine when several report', () => {
    const view = describeStatus(
      [
        report({ state: 'ready', modelId: 'chat' }),
        report({ state: 'generating', modelId: 'remote' }, 'OpenAI', remote('api.openai.com')),
      ],
      chatOnly('chat'),
    );
    expect(view).toMatchObject({ state: 'generating', text: '$(sync~spin) remote · generating · api.openai.com' });
    expect(view.tooltip).toContain('OpenAI, sending code to api.openai.com');
  });

  it('at rest names the configured model, not another model an engine still holds', () => {
    const reports = [
      report({ state: 'ready', modelId: 'local-model' }),
      report({ state: 'idle' }, 'GPU box', remote('gpu-box:8000')),
    ];
    expect(
      describeStatus(reports, { chat: 'gpu-box/coder', chatRunsOn: remote('gpu-box:8000'), completionEnabled: true })
        .text,
    ).toBe('$(hubot) gpu-box/coder · gpu-box:8000');
    const answered = [
      report({ state: 'ready', modelId: 'local-model' }),
      report({ state: 'ready', modelId: 'gpu-box/coder' }, 'GPU box', remote('gpu-box:8000')),
    ];
    expect(
      describeStatus(answered, { chat: 'gpu-box/coder', chatRunsOn: remote('gpu-box:8000'), completionEnabled: true })
        .text,
    ).toBe('$(hubot) gpu-box/coder · gpu-box:8000');
  });

  it('says where the configured model runs while nothing is loaded', () => {
    const view = describeStatus([report({ state: 'idle' })], {
      chat: 'gpu-box/qwen2.5-coder-7b',
      chatRunsOn: remote('gpu-box:8000'),
      completionEnabled: true,
    });
    expect(view.text).toBe('$(hubot) gpu-box/qwen2.5-coder-7b · gpu-box:8000');
    expect(view.tooltip).toContain('sending code to gpu-box:8000');
  });

  it('never calls a chat model local before an engine lists it: the place is left out until it is known', () => {
    const view = describeStatus([], { chat: 'gpu-box/coder', completionEnabled: true });
    expect(view.text).toBe('$(hubot) gpu-box/coder');
    expect(view.tooltip).toContain('listed by no engine yet');
    expect(view.tooltip).not.toContain('this machine');
  });

  it('shows a workspace-controlled model name as data: codicons escaped, no control or direction characters, bounded', () => {
    const spoof = 'm $(check) verified $(sync~spin)';
    const idle = describeStatus([], chatOnly(spoof));
    expect(idle.text).toBe('$(hubot) m \\$(check) verified \\$(sync~spin) · local');
    expect(idle.tooltip).not.toMatch(/(^|[^\\])\$\(/);
    const loaded = describeStatus([report({ state: 'ready', modelId: 'x$(error)' })], chatOnly(undefined));
    expect(loaded.text).toBe('$(hubot) x\\$(error) · local');
    expect(describeStatus([], chatOnly('a\u202Eevil\nline\u0000two\u200B')).text).toBe(
      '$(hubot) aevil line two · local',
    );
    expect(describeStatus([], chatOnly('x'.repeat(500))).text.length).toBeLessThan(80);
  });

  it('escapes codicons in every picker field a model file controls', () => {
    const model = {
      id: 'm',
      name: '$(check) Official $(shield)',
      description: 'desc $(warning)',
      engine: 'llamacpp$(x)',
      metadata: { size: 10 },
    } as unknown as Model;
    const text = installedItemText(model, '', false, undefined);
    expect(text.label).toBe('$(hubot) \\$(check) Official \\$(shield)');
    expect(text.description).toContain('llamacpp\\$(x)');
    expect(text.detail).toBe('desc \\$(warning)');
  });

  it('displayText leaves an already escaped codicon escaped once', () => {
    expect(displayText('\\$(x) $(y)')).toBe('\\$(x) \\$(y)');
  });

  it('displayText breaks the link syntax notifications render, so a model name cannot carry a command link', () => {
    expect(displayText('[Update now](command:workbench.action.terminal.new)')).toBe(
      '[Update now] (command:workbench.action.terminal.new)',
    );
  });
});

describe('status bar: where a local model computes', () => {
  it('shows the backend and the layers offloaded, and why it is not the GPU', () => {
    const gpu = describeStatus(
      [report({ state: 'ready', modelId: 'm', backend: 'Vulkan', gpuLayers: 28, totalLayers: 29 })],
      chatOnly('m'),
    );
    expect(gpu.text).toBe('$(hubot) m · Vulkan 28/29 · local');
    expect(gpu.tooltip).toContain('Computes on Vulkan: 28 of 29 layers on the GPU.');
    const cpu = describeStatus(
      [
        report({
          state: 'ready',
          modelId: 'm',
          backend: 'CPU',
          gpuLayers: 0,
          totalLayers: 6,
          backendFallback: 'CUDA failed to load: no driver',
        }),
      ],
      chatOnly('m'),
    );
    expect(cpu.text).toBe('$(hubot) m · CPU · local');
    expect(cpu.tooltip).toContain('Computes on the CPU (CUDA failed to load: no driver).');
  });
});
