/** The port behind the `problems` tool: only an editor has diagnostics, so only the VS Code side gives one. */

export interface Problem {
  /** Workspace-relative, `/` separators. */
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** The tool that reported it (`ts`, `eslint`). */
  source?: string;
}

export interface ProblemsProvider {
  /** Problems in one file, or in the whole workspace when `path` is undefined. */
  problems(root: string, path: string | undefined, maxResults: number): Promise<Problem[]>;
}
