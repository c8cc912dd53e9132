import type { Model } from '@jan/core';
import { estimateMemoryBytes, formatBytes, type CatalogEntry } from '../../../extensions/models';

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

/** An installed model in a picker; `current` marks the one the setting names. */
export function installedItemText(model: Model, filePath: string, current: boolean): ItemText {
  const size = typeof model.metadata.size === 'number' ? formatBytes(model.metadata.size) : '';
  return {
    label: `${current ? '$(check)' : '$(hubot)'} ${model.name}`,
    // By name only, as everywhere else; `llamacpp` and the id mean nothing to a user here.
    description: [size, model.engine === 'llamacpp' ? 'on this machine' : `served by ${model.engine}`].filter(Boolean).join(' · '),
    detail: filePath || model.description,
  };
}
