import type { JanTool } from '@jan/core';
import type { ToolEnvironment } from '../environment';
import { createFileTool } from './create-file';
import { editFileTool } from './edit-file';
import { findFilesTool } from './find-files';
import { gitDiffTool } from './git-diff';
import { problemsTool } from './problems';
import { readFileTool } from './read-file';
import { runCommandTool } from './run-command';
import { searchTextTool } from './search-text';
import { symbolsTool } from './symbols';

/** The built-in workspace tools, reading ones first; `problems` only where an editor gives diagnostics. */
export function workspaceTools(env: ToolEnvironment): JanTool[] {
  return [
    readFileTool(env),
    findFilesTool(env),
    searchTextTool(env),
    symbolsTool(env),
    gitDiffTool(env),
    ...(env.problems ? [problemsTool(env, env.problems)] : []),
    editFileTool(env),
    createFileTool(env),
    runCommandTool(env),
  ];
}
