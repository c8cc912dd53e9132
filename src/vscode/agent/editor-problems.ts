import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Problem, ProblemsProvider } from '../../../extensions/workspace-tools';

/** Problem severities in VS Code's order (`vscode.DiagnosticSeverity`: Error 0 … Hint 3), errors first. */
const SEVERITIES: readonly Problem['severity'][] = ['error', 'warning', 'info', 'hint'];

/** The `problems` tool's port: the editor's diagnostics (`vscode.languages.getDiagnostics`) inside the workspace, errors first. */
export class EditorProblems implements ProblemsProvider {
  async problems(root: string, file: string | undefined, maxResults: number): Promise<Problem[]> {
    const one = file === undefined ? undefined : vscode.Uri.file(path.resolve(root, file));
    const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = one
      ? [[one, vscode.languages.getDiagnostics(one)]]
      : vscode.languages.getDiagnostics();
    const found: Problem[] = [];
    for (const [uri, diagnostics] of entries) {
      const relative = path.relative(root, uri.fsPath);
      if (uri.scheme !== 'file' || !relative || relative.startsWith('..') || path.isAbsolute(relative)) continue;
      for (const diagnostic of diagnostics) found.push(problemOf(relative.split(path.sep).join('/'), diagnostic));
    }
    const rank = (problem: Problem) => SEVERITIES.indexOf(problem.severity);
    return found.sort((a, b) => rank(a) - rank(b)).slice(0, maxResults);
  }
}

function problemOf(relative: string, diagnostic: vscode.Diagnostic): Problem {
  const problem: Problem = {
    path: relative,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    severity: SEVERITIES[diagnostic.severity] ?? 'info',
    message: diagnostic.message.slice(0, 1000),
  };
  if (diagnostic.source) problem.source = diagnostic.source;
  return problem;
}
