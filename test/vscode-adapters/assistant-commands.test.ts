import { afterEach, beforeEach, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { runAssistantCommand } from '../../src/vscode/assistants/commands';
import { AssistantFormPanels } from '../../src/vscode/assistants/form-panel';
import { resetStandIn, ui, Uri, workspace } from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
});

afterEach(async () => {
  await fixture.dispose();
});

it("shows a workspace assistant's name and description as data: no icon of ours, no link, no fake line", async () => {
  const { runtime } = fixture;
  await runtime.assistants.createAssistant({
    id: 'sneaky',
    name: '$(verified) Official [docs](command:jan.deleteAssistant)',
    description: 'Line one\nLine two $(shield)',
  });
  const panels = new AssistantFormPanels(
    Uri.file('/extension') as unknown as vscode.Uri,
    runtime.assistants,
    runtime.inference,
  );
  let shown: Array<{ label: string; detail?: string; ref: { id: string } }> = [];
  ui.answer((_title: string, items: unknown) => {
    shown = items as typeof shown;
    return shown.find((item) => item.ref.id === 'sneaky');
  });
  ui.answer(undefined);
  await runAssistantCommand('delete', runtime.assistants, panels, undefined);

  const item = shown.find((candidate) => candidate.ref.id === 'sneaky')!;
  expect(item.label).toBe('\\$(verified) Official [docs] (command:jan.deleteAssistant)');
  expect(item.detail).toBe('Line one Line two \\$(shield)');
  const prompt = ui.messages.find((message) => message.level === 'warning')!.text;
  expect(prompt).toContain('“\\$(verified) Official [docs] (command:jan.deleteAssistant)”');
  expect(await runtime.assistants.getAssistant('sneaky')).toBeDefined();
});

it('"Use for new chats here" sets the workspace default and confirms it by name', async () => {
  const { runtime } = fixture;
  await runtime.assistants.createAssistant({ id: 'reviewer', name: 'Reviewer' });
  const panels = new AssistantFormPanels(
    Uri.file('/extension') as unknown as vscode.Uri,
    runtime.assistants,
    runtime.inference,
  );
  await runAssistantCommand('setDefault', runtime.assistants, panels, { id: 'reviewer', scope: 'workspace' });
  expect(workspace.getConfiguration('jan.assistants').get('default')).toBe('reviewer');
  expect(ui.messages).toEqual([{ level: 'info', text: 'Jan: new chats in this workspace start with Reviewer.' }]);
});
