import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  createWorkspaceSearch,
  DEFAULT_EXCLUDES,
  executable,
  TextSymbols,
  type WorkspaceToolsOptions,
} from '../../../extensions/workspace-tools';
import { EditorFiles } from './editor-files';
import { EditorProblems } from './editor-problems';
import { LanguageSymbols } from './language-symbols';
import { TerminalCommands } from './terminal-commands';

/** The ripgrep VS Code ships (its own search runs it); none found: the tools search in Node. */
export function editorRipgrep(): string | undefined {
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  // Unpacked beside the asar archive in older builds.
  return ['node_modules', 'node_modules.asar.unpacked']
    .map((folder) => path.join(vscode.env.appRoot, folder, '@vscode', 'ripgrep', 'bin', name))
    .find((candidate) => executable(candidate));
}

/** Globs the user hides from the explorer and search (`files.exclude`, `search.exclude`), as the tools take them. */
export function editorExcludes(): string[] {
  const globs = (section: string) =>
    Object.entries(vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
  return [...new Set([...DEFAULT_EXCLUDES, ...globs('files'), ...globs('search')])];
}

/** The workspace tools' ports filled by the editor (extensions/workspace-tools/environment.ts). */
export function editorToolPorts(): WorkspaceToolsOptions & { dispose(): void } {
  const search = createWorkspaceSearch({ ripgrepPath: editorRipgrep(), excludes: editorExcludes() });
  const commands = new TerminalCommands();
  return {
    files: new EditorFiles(),
    search,
    symbols: new LanguageSymbols(new TextSymbols(search)),
    problems: new EditorProblems(),
    commands,
    dispose: () => commands.dispose(),
  };
}
