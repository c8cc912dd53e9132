import { parseDefinition, type RemoteEngineSource } from '../../../extensions/remote';

/** `jan.remote.engines` as VS Code's `inspect` reports it, per scope. */
export interface InspectedEngines {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The remote engines the settings define. The user's own (global) entries are theirs; a
 * workspace's are marked as such, and ignored entirely in an untrusted workspace: a folder
 * someone sent must not route code to a server. An entry that does not parse is skipped with
 * the reason (people edit settings.json by hand).
 */
export function remoteSources(
  inspected: InspectedEngines | undefined,
  trusted: boolean,
): { sources: RemoteEngineSource[]; problems: string[] } {
  const sources: RemoteEngineSource[] = [];
  const problems: string[] = [];
  const scopes: Array<[unknown, boolean, string]> = [[inspected?.globalValue, false, 'user settings']];
  if (trusted)
    scopes.push(
      [inspected?.workspaceValue, true, 'workspace settings'],
      [inspected?.workspaceFolderValue, true, 'folder settings'],
    );
  for (const [value, fromWorkspace, where] of scopes) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      problems.push(`jan.remote.engines in the ${where} is not a list; it is ignored.`);
      continue;
    }
    value.forEach((entry: unknown, index) => {
      const parsed = parseDefinition(entry);
      if (parsed.ok) sources.push({ definition: parsed.value, fromWorkspace });
      else problems.push(`jan.remote.engines[${index}] in the ${where} is ignored: ${parsed.error}.`);
    });
  }
  return { sources, problems };
}
