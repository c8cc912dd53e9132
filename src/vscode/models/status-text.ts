import type { EngineState, EngineStatus } from '@jan/core';

export interface EngineReport {
  engine: string;
  status: EngineStatus;
}

export interface StatusView {
  text: string;
  tooltip: string;
  state: EngineState;
}

/** The state worth showing when several engines report: what is happening now beats what is at rest. */
const PRIORITY: Record<EngineState, number> = { generating: 0, loading: 1, error: 2, ready: 3, idle: 4 };

const ICON: Record<EngineState, string> = {
  generating: '$(sync~spin)',
  loading: '$(loading~spin)',
  error: '$(error)',
  ready: '$(hubot)',
  idle: '$(hubot)',
};

function speed(status: EngineStatus): string {
  const tps = status.lastTokensPerSecond;
  return tps !== undefined && Number.isFinite(tps) && tps > 0 ? `${tps >= 10 ? tps.toFixed(0) : tps.toFixed(1)} tok/s` : '';
}

/** The models the settings name (by id) and whether ghost text is on. */
export interface ModelChoices {
  chat?: string;
  completion?: string;
  completionEnabled: boolean;
}

/** The completion part: its model and whether it is on, or nothing without a completion model. */
function completionStatus(choices: ModelChoices, nameOf: (id: string) => string): { text: string; tooltip: string } {
  const id = choices.completion?.trim();
  if (!id) return { text: '', tooltip: 'Completion: no model selected.' };
  const name = nameOf(id);
  return choices.completionEnabled
    ? { text: ` · $(sparkle) ${name}`, tooltip: `Completion: ${name}, on.` }
    : { text: ' · $(sparkle) completion off', tooltip: `Completion: ${name}, off (Toggle Inline Completion turns it on).` };
}

/**
 * The status bar text for the engines' statuses: the chat model (or the model at work), its
 * state and last tokens/s, then the completion model and whether completion is on. Models are
 * shown by name (`nameOf`), as the pickers show them.
 */
export function describeStatus(reports: EngineReport[], choices: ModelChoices, nameOf: (id: string) => string = (id) => id): StatusView {
  const completion = completionStatus(choices, nameOf);
  const active = reports.filter((report) => report.status.state !== 'idle').sort((a, b) => PRIORITY[a.status.state] - PRIORITY[b.status.state])[0];
  if (!active) {
    const chat = choices.chat?.trim();
    const name = chat ? nameOf(chat) : undefined;
    return {
      state: 'idle',
      text: `${ICON.idle} ${name ?? 'Jan: no model'}${completion.text}`,
      tooltip: `${name ? `Chat: ${name} (not loaded).` : 'Chat: no model selected.'}\n${completion.tooltip}\nClick for quick actions.`,
    };
  }
  const { state, modelId, error } = active.status;
  const model = nameOf(modelId ?? choices.chat ?? 'Jan');
  const parts = [`${ICON[state]} ${model}`];
  if (state !== 'ready') parts.push(state);
  const tps = speed(active.status);
  if (tps && state !== 'loading' && state !== 'error') parts.push(tps);
  const detail = state === 'error' && error ? `: ${error}` : tps ? ` (last reply ${tps})` : '';
  return {
    state,
    text: parts.join(' · ') + completion.text,
    tooltip: `${model} is ${state} on ${active.engine}${detail}.\n${completion.tooltip}\nClick for quick actions.`,
  };
}
