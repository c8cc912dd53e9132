import * as vscode from 'vscode';
import type { RemoteEngineDefinition } from '../../../extensions/remote';
import { editorSettings } from '../settings';

/** The user's own `jan.remote.engines` entries, as stored (unknown fields kept through an edit). */
function userEntries(): Array<Record<string, unknown>> {
  const value = editorSettings().levels('jan.remote.engines').user;
  return Array.isArray(value)
    ? value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
    : [];
}

async function save(entries: Array<Record<string, unknown>>): Promise<void> {
  await vscode.workspace.getConfiguration('jan.remote').update('engines', entries, vscode.ConfigurationTarget.Global);
}

/** Adds the definition to the user's settings, or replaces the entry with its id. */
export async function saveUserEngine(definition: RemoteEngineDefinition): Promise<void> {
  const entries = userEntries();
  const index = entries.findIndex((entry) => entry.id === definition.id);
  if (index >= 0) entries[index] = { ...entries[index], ...definition };
  else entries.push({ ...definition });
  await save(entries);
}

export async function removeUserEngine(id: string): Promise<void> {
  await save(userEntries().filter((entry) => entry.id !== id));
}

/** An engine id from a name: lowercase, dashes, unique among `taken` (every registered engine's id). */
export function engineIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'remote';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}
