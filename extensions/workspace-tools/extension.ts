import {
  BaseExtension,
  ExtensionType,
  type CoreContext,
  type Disposable,
  type SymbolProvider,
  type WorkspaceSearch,
} from '@jan/core';
import type { CommandRunner } from './commands';
import { DEFAULT_LIMITS, type ToolEnvironment, type ToolLimits } from './environment';
import type { WorkspaceFiles } from './files';
import { NodeCommandRunner } from './node-commands';
import { NodeWorkspaceFiles } from './node-files';
import type { ProblemsProvider } from './problems';
import { createWorkspaceSearch, type SearchOptions } from './search';
import { TextSymbols } from './text-symbols';

/** The ports the host may fill; each one left out gets the Node implementation (problems: none). */
export interface WorkspaceToolsOptions extends SearchOptions {
  files?: WorkspaceFiles;
  search?: WorkspaceSearch;
  symbols?: SymbolProvider;
  commands?: CommandRunner;
  problems?: ProblemsProvider;
  limits?: Partial<ToolLimits>;
}

/** Builds the tools' environment from the host's ports, Node ones where it gave none. */
export function toolEnvironment(options: WorkspaceToolsOptions = {}): ToolEnvironment {
  const search = options.search ?? createWorkspaceSearch(options);
  return {
    files: options.files ?? new NodeWorkspaceFiles(),
    search,
    symbols: options.symbols ?? new TextSymbols(search),
    commands: options.commands ?? new NodeCommandRunner(),
    problems: options.problems,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  };
}

/**
 * The built-in workspace tools (read, find, search, symbols, git diff, problems, edit, create,
 * run command) registered on load with `registerTool`, the public API's call any extension makes. They
 * act in the call's `workspaceRoot`, confined to it (workspace-path.ts).
 */
export class WorkspaceToolsExtension extends BaseExtension {
  private registrations: Disposable[] = [];
  readonly environment: ToolEnvironment;

  constructor(core: CoreContext, options: WorkspaceToolsOptions = {}) {
    super('workspace-tools', core);
    this.environment = toolEnvironment(options);
  }

  type(): ExtensionType {
    return ExtensionType.Tools;
  }

  /** The tools' code (schemas, edits, diffs) loads here, after activation (docs/ARCHITECTURE.md "Activation"). */
  async onLoad(): Promise<void> {
    const { workspaceTools } = await import('./tools');
    this.registrations = workspaceTools(this.environment).map((tool) => this.core.api.registerTool(tool));
  }

  override onUnload(): void {
    for (const registration of this.registrations) registration.dispose();
    this.registrations = [];
  }
}
