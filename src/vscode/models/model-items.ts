import type { Model, RunsOn } from '@jan/core';
import { estimateMemoryBytes, formatBytes, type CatalogEntry } from '../../../extensions/models';
import { FIT_LABELS, type FitVerdict, type ModelPlan } from '../../../extensions/llamacpp';
import { displayText } from '../display-text';
import { fitBadge, planText } from './fit-text';

export interface ItemText {
  label: string;
  description: string;
  detail: string;
}

/** A catalog entry in the download picker: download size, memory to run it, its fit here (when known), license. */
export function catalogItemText(entry: CatalogEntry, installed: boolean, verdict?: FitVerdict): ItemText {
  const fit = verdict ? ` · ${fitBadge(verdict.fit)}` : '';
  return {
    label: `${installed ? '$(check)' : '$(cloud-download)'} ${entry.name}`,
    description: `${formatBytes(entry.sizeBytes)} download · needs ~${formatBytes(estimateMemoryBytes(entry))} RAM${fit}${installed ? ' · installed' : ''}`,
    detail: `${entry.description} ${entry.quantization}, ${entry.license}.${verdict ? ` ${FIT_LABELS[verdict.fit]}: ${verdict.reason}.` : ''}`,
  };
}

/**
 * An installed model in a picker; `current` marks the one the setting names; `runsOn`: its engine's
 * place (undefined: no engine of that id is registered); with its plan, its fit and context
 * ("4,096 of 131,072 tokens"). Its fields come from model.json: shown as data.
 */
export function installedItemText(
  model: Model,
  filePath: string,
  current: boolean,
  runsOn: RunsOn | undefined,
  plan?: ModelPlan,
): ItemText {
  const size = typeof model.metadata.size === 'number' ? formatBytes(model.metadata.size) : '';
  const where = !runsOn
    ? `needs the ${displayText(model.engine)} engine`
    : runsOn.kind === 'local'
      ? 'on this machine'
      : `sends code to ${displayText(runsOn.host)}`;
  const planned = plan && planText(plan);
  return {
    label: `${current ? '$(check)' : '$(hubot)'} ${displayText(model.name)}`,
    // By name only, as everywhere else; an engine id means nothing to a user here.
    description: [size, where, planned?.description].filter(Boolean).join(' · '),
    detail: [planned?.detail, displayText(filePath || model.description, 300)].filter(Boolean).join(' '),
  };
}

/** A remote engine's model in a picker: its id on Jan's side and what serves it. */
export function remoteItemText(model: Model, current: boolean): ItemText {
  return {
    label: `${current ? '$(check)' : '$(cloud)'} ${displayText(model.name)}`,
    description: displayText(model.id),
    detail: displayText(model.description, 300),
  };
}
