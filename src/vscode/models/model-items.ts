import type { Model, RunsOn } from '@jan/core';
import { estimateMemoryBytes, formatBytes, type CatalogEntry } from '../../../extensions/models';
import { displayText } from '../display-text';

export interface ItemText {
  label: string;
  description: string;
  detail: string;
}

/** A catalog entry in the download picker: download size, memory to run it, license. */
export function catalogItemText(entry: CatalogEntry, installed: boolean): ItemText {
  return {
    label: `${installed ? '$(check)' : '$(cloud-download)'} ${entry.name}`,
    description: `${formatBytes(entry.sizeBytes)} download · needs ~${formatBytes(estimateMemoryBytes(entry))} RAM${installed ? ' · installed' : ''}`,
    detail: `${entry.description} ${entry.quantization}, ${entry.license}.`,
  };
}

/**
 * An installed model in a picker; `current` marks the one the setting names; `runsOn`: its engine's
 * place (undefined: no engine of that id is registered). Its fields come from model.json: shown as data.
 */
export function installedItemText(
  model: Model,
  filePath: string,
  current: boolean,
  runsOn: RunsOn | undefined,
): ItemText {
  const size = typeof model.metadata.size === 'number' ? formatBytes(model.metadata.size) : '';
  const where = !runsOn
    ? `needs the ${displayText(model.engine)} engine`
    : runsOn.kind === 'local'
      ? 'on this machine'
      : `sends code to ${displayText(runsOn.host)}`;
  return {
    label: `${current ? '$(check)' : '$(hubot)'} ${displayText(model.name)}`,
    // By name only, as everywhere else; an engine id means nothing to a user here.
    description: [size, where].filter(Boolean).join(' · '),
    detail: displayText(filePath || model.description, 300),
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
