import type { EngineState, EngineStatus } from '@jan/core';
import { displayText } from '../display-text';

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

/**
 * The status bar text for the engines' statuses: model, state and last tokens/s. With every
 * engine idle it names the configured chat model (or says there is none). Model ids come from
 * workspace settings and model files, so they go through displayText.
 */
export function describeStatus(reports: EngineReport[], configuredChatModel: string | undefined): StatusView {
  const active = reports.filter((report) => report.status.state !== 'idle').sort((a, b) => PRIORITY[a.status.state] - PRIORITY[b.status.state])[0];
  if (!active) {
    const model = configuredChatModel ? displayText(configuredChatModel) : '';
    return {
      state: 'idle',
      text: `${ICON.idle} ${model || 'Jan: no model'}`,
      tooltip: model ? `Jan: ${model} (not loaded). Click for quick actions.` : 'Jan: no chat model selected. Click for quick actions.',
    };
  }
  const { state, modelId, error } = active.status;
  const model = displayText(modelId ?? configuredChatModel ?? 'Jan');
  const parts = [`${ICON[state]} ${model}`];
  if (state !== 'ready') parts.push(state);
  const tps = speed(active.status);
  if (tps && state !== 'loading' && state !== 'error') parts.push(tps);
  const detail = state === 'error' && error ? `: ${displayText(error, 500)}` : tps ? ` (last reply ${tps})` : '';
  return {
    state,
    text: parts.join(' · '),
    tooltip: `Jan: ${model} is ${state} on ${active.engine}${detail}. Click for quick actions.`,
  };
}
