import type { SettingLevels } from '@jan/core';
import { parseDefinition, type RemoteEngineSource } from '../../../extensions/remote';

/**
 * The remote engines the settings define (`JanSettings.levels('jan.remote.engines')`: an untrusted
 * workspace's entries are already left out, a folder someone sent must not route code to a
 * server). The user's own entries are theirs; a workspace's are marked as such. An entry that does
 * not parse is skipped with the reason (people edit settings.json by hand).
 */
export function remoteSources(levels: SettingLevels): { sources: RemoteEngineSource[]; problems: string[] } {
  const sources: RemoteEngineSource[] = [];
  const problems: string[] = [];
  const scopes: Array<[unknown, boolean, string]> = [
    [levels.user, false, 'user settings'],
    [levels.workspace, true, 'workspace settings'],
  ];
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
