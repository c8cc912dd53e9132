import { runsOnLabel, type EngineState, type EngineStatus, type RunsOn } from '@jan/core';
import { displayText } from '../display-text';

export interface EngineReport {
  engine: string;
  status: EngineStatus;
  runsOn: RunsOn;
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
  return tps !== undefined && Number.isFinite(tps) && tps > 0
    ? `${tps >= 10 ? tps.toFixed(0) : tps.toFixed(1)} tok/s`
    : '';
}

/** The models the settings name (by id) and whether ghost text is on. */
export interface ModelChoices {
  chat?: string;
  /** Where the chat model runs; undefined while no engine lists it. */
  chatRunsOn?: RunsOn;
  completion?: string;
  completionEnabled: boolean;
}

/** The completion part: its model and whether it is on, or nothing without a completion model. */
function completionStatus(choices: ModelChoices, nameOf: (id: string) => string): { text: string; tooltip: string } {
  const id = choices.completion?.trim();
  if (!id) return { text: '', tooltip: 'Completion: no model selected.' };
  const name = displayText(nameOf(id));
  return choices.completionEnabled
    ? { text: ` · $(sparkle) ${name}`, tooltip: `Completion: ${name}, on.` }
    : {
        text: ' · $(sparkle) completion off',
        tooltip: `Completion: ${name}, off (Toggle Inline Completion turns it on).`,
      };
}

/**
 * The status bar text for the engines' statuses: the chat model (or the model at work), its
 * state, last tokens/s and where code goes ("local" or the server's host), then the completion
 * model and whether completion is on. Models are shown by name (`nameOf`), as the pickers show
 * them. Ids, names and errors come from workspace settings, model files and servers, so they go
 * through displayText.
 */
export function describeStatus(
  reports: EngineReport[],
  choices: ModelChoices,
  nameOf: (id: string) => string = (id) => id,
): StatusView {
  const completion = completionStatus(choices, nameOf);
  const chat = choices.chat?.trim();
  const busy = reports
    .filter((report) => report.status.state !== 'idle')
    .sort((a, b) => PRIORITY[a.status.state] - PRIORITY[b.status.state]);
  // At rest, an engine still holding another model (the chat model moved to a remote engine) is
  // not what chat uses: the configured model is.
  const active =
    busy[0]?.status.state === 'ready' && chat
      ? busy.find((report) => report.status.state === 'ready' && report.status.modelId === chat)
      : busy[0];
  if (!active) {
    const name = chat ? displayText(nameOf(chat)) : '';
    const place = choices.chatRunsOn && displayText(runsOnLabel(choices.chatRunsOn));
    const where = choices.chatRunsOn ? whereText(choices.chatRunsOn) : 'listed by no engine yet';
    return {
      state: 'idle',
      text: `${ICON.idle} ${name ? [name, place].filter(Boolean).join(' · ') : 'Jan: no model'}${completion.text}`,
      tooltip: `${name ? `Chat: ${name} (not loaded), ${where}.` : 'Chat: no model selected.'}\n${completion.tooltip}\nClick for quick actions.`,
    };
  }
  const { state, modelId, error } = active.status;
  const shown = displayText(nameOf(modelId ?? chat ?? 'Jan'));
  const parts = [`${ICON[state]} ${shown}`];
  if (state !== 'ready') parts.push(state);
  const tps = speed(active.status);
  if (tps && state !== 'loading' && state !== 'error') parts.push(tps);
  const compute = backendText(active.status);
  if (compute && state !== 'error') parts.push(compute.text);
  parts.push(displayText(runsOnLabel(active.runsOn)));
  const detail = state === 'error' && error ? `: ${displayText(error, 500)}` : tps ? ` (last reply ${tps})` : '';
  return {
    state,
    text: parts.join(' · ') + completion.text,
    tooltip: `${shown} is ${state} on ${active.engine}, ${whereText(active.runsOn)}${detail}.${compute ? `\n${compute.tooltip}` : ''}\n${completion.tooltip}\nClick for quick actions.`,
  };
}

/** Where a local model computes: "CPU", or the GPU backend with the layers on it ("Vulkan 28/28"), and why not the GPU. */
function backendText(status: EngineStatus): { text: string; tooltip: string } | undefined {
  const backend = status.backend && displayText(status.backend, 40);
  if (!backend) return undefined;
  const layers =
    backend !== 'CPU' && status.gpuLayers !== undefined && status.totalLayers !== undefined
      ? {
          text: ` ${status.gpuLayers}/${status.totalLayers}`,
          tooltip: `: ${status.gpuLayers} of ${status.totalLayers} layers on the GPU`,
        }
      : { text: '', tooltip: '' };
  const fallback = status.backendFallback ? ` (${displayText(status.backendFallback, 300)})` : '';
  return {
    text: `${backend}${layers.text}`,
    tooltip: `Computes on ${backend === 'CPU' ? 'the CPU' : backend}${layers.tooltip}${fallback}.`,
  };
}

function whereText(runsOn: RunsOn): string {
  return runsOn.kind === 'local' ? 'on this machine' : `sending code to ${displayText(runsOn.host)}`;
}
