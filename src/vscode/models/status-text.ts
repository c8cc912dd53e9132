import type { EngineState, EngineStatus } from '@jan/core';
import { displayText } from '../display-text';

export interface EngineReport {
  engine: string;
  status: EngineStatus;
  /** Where the engine sends prompts: "local" (the default) or a server's host. */
  destination?: string;
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
 * The status bar text for the engines' statuses: model, state, last tokens/s and where code goes
 * ("local" or the server's host). With every engine idle it names the configured chat model (or
 * says there is none) and where that model runs (`configuredDestination`). Model ids and errors
 * come from workspace settings, model files and servers, so they go through displayText.
 */
export function describeStatus(reports: EngineReport[], configuredChatModel: string | undefined, configuredDestination = 'local'): StatusView {
  const model = configuredChatModel?.trim();
  const busy = reports.filter((report) => report.status.state !== 'idle').sort((a, b) => PRIORITY[a.status.state] - PRIORITY[b.status.state]);
  // At rest, an engine still holding another model (the chat model moved to a remote engine) is
  // not what chat uses: the configured model is.
  const active =
    busy[0]?.status.state === 'ready' && model ? busy.find((report) => report.status.state === 'ready' && report.status.modelId === model) : busy[0];
  if (!active) {
    const shown = model ? displayText(model) : '';
    const destination = displayText(configuredDestination);
    return {
      state: 'idle',
      text: shown ? `${ICON.idle} ${shown} · ${destination}` : `${ICON.idle} Jan: no model`,
      tooltip: shown ? `Jan: ${shown} (not loaded), ${where(destination)}. Click for quick actions.` : 'Jan: no chat model selected. Click for quick actions.',
    };
  }
  const { state, modelId, error } = active.status;
  const shown = displayText(modelId ?? model ?? 'Jan');
  const parts = [`${ICON[state]} ${shown}`];
  if (state !== 'ready') parts.push(state);
  const tps = speed(active.status);
  if (tps && state !== 'loading' && state !== 'error') parts.push(tps);
  const destination = displayText(active.destination ?? 'local');
  parts.push(destination);
  const detail = state === 'error' && error ? `: ${displayText(error, 500)}` : tps ? ` (last reply ${tps})` : '';
  return {
    state,
    text: parts.join(' · '),
    tooltip: `Jan: ${shown} is ${state} on ${active.engine}, ${where(destination)}${detail}. Click for quick actions.`,
  };
}

function where(destination: string): string {
  return destination === 'local' ? 'on this machine' : `sending code to ${destination}`;
}
