import {
  backendName,
  FIT_LABELS,
  formatMemory,
  type MemoryPlan,
  type PlannedModel,
} from '../../../extensions/llamacpp';
import { displayText } from '../display-text';

const LIMITS: Record<PlannedModel['contextLimit'], string> = {
  setting: 'the setting',
  training: "the model's training context",
  budget: 'the memory budget (the KV cache of two chat sequences within an eighth of the RAM)',
  memory: 'the memory free when it was planned',
};

/** Text from model files and settings as Markdown data: no markup, no HTML, no links. */
function md(value: string, maxLength = 300): string {
  return displayText(value, maxLength)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`)
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** "4,096 of 131,072 tokens": the context a model gets, of the context it was trained on. */
export function contextText(contextSize: number, trainContextSize: number): string {
  return `${contextSize.toLocaleString('en-US')} of ${trainContextSize.toLocaleString('en-US')} tokens`;
}

/**
 * Jan: Show Engine Status, as Markdown: where llama.cpp computes and with how many threads, the
 * machine's memory, and per model (the chat and completion models, and any other loaded one)
 * its contexts, sequences and memory, loaded or as it would load. Names come from model files and
 * settings: shown as data (display-text.ts).
 */
export function engineStatusMarkdown(plan: MemoryPlan, nameOf: (id: string) => string = (id) => id): string {
  const { status } = plan;
  const memory = status.memory;
  const lines = [
    '# Jan: engine status',
    '',
    `- **Backend:** ${backendName(status.gpu)}${status.gpuFallbackReason ? ` (${md(status.gpuFallbackReason, 500)})` : ''}`,
    `- **Threads:** ${status.threads}${status.threadsReason ? ` (${md(status.threadsReason)})` : ''}`,
    `- **RAM:** ${formatMemory(memory.freeRamBytes)} free of ${formatMemory(memory.totalRamBytes)}` +
      (memory.freeSwapBytes > 0 ? `, ${formatMemory(memory.freeSwapBytes)} of swap free` : ''),
    ...(memory.totalVramBytes > 0
      ? [`- **GPU memory:** ${formatMemory(memory.freeVramBytes)} free of ${formatMemory(memory.totalVramBytes)}`]
      : []),
    `- **Worker:** ${formatMemory(status.rssBytes)} resident`,
    `- **Models together:** ${formatMemory(plan.totalBytes)}`,
    '',
  ];
  if (plan.models.length === 0) lines.push('No chat or completion model is selected, and none is loaded.');
  for (const model of plan.models) lines.push(...modelSection(model, nameOf), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function modelSection(model: PlannedModel, nameOf: (id: string) => string): string[] {
  const roles = model.roles.length > 0 ? model.roles.join(' and ') : 'loaded by a request (API server, CLI)';
  const state = model.loaded ? 'loaded' : 'not loaded: as it would load';
  const rows: Array<[string, string]> = [
    ['Used for', roles],
    ['Chat context', `${contextText(model.contextSize, model.trainContextSize)}, set by ${LIMITS[model.contextLimit]}`],
    [
      'Chat sequences',
      model.chatBytes > 0
        ? `${model.sequences} (one per recent thread), ${formatMemory(model.chatBytes)}`
        : 'none made (made by the first chat turn)',
    ],
    [
      'Completion context',
      model.completionContextSize > 0
        ? `${model.completionContextSize.toLocaleString('en-US')} tokens, ${formatMemory(model.completionBytes)}`
        : 'none',
    ],
    ['Weights', `${formatMemory(model.modelBytes)}; ${model.gpuLayers} of ${model.totalLayers} layers on the GPU`],
  ];
  if (model.fit) rows.push(['Fit', `${FIT_LABELS[model.fit]}: ${md(model.reason ?? '')}`]);
  return [
    `## ${md(nameOf(model.modelId), 100)} (${state})`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
  ];
}
