/**
 * The registration calls of the public API, for one caller. Jan's own extensions get these from
 * `CoreContext.api` (caller `jan`), another extension or a program from its `JanApi`: the same
 * checks, the same registries, and what each registered is recorded (ApiActivity) so the pickers
 * and Show Extensions can say whose it is.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import type { AssistantSourceRegistry } from '../assistant-sources';
import type { ContextSourceRegistry } from '../context';
import type { EngineRegistry } from '../engines';
import type { Disposable } from '../events';
import { errorMessage, type Logger } from '../logger';
import type { JanTool, ToolEffect, ToolRegistry, ToolResult } from '../tools';
import type { ApiActivity, ApiCaller, RegistrationKind } from './caller';
import { JanApiError } from './errors';
import { guardedEngine } from './guarded-engine';
import { argument, AssistantSourceSchema, ContextSourceSchema, EngineSchema, ToolSchema } from './schemas';
import type { JanRegistrations, JanToolRegistration } from './types';

export interface RegistrationDeps {
  engines: EngineRegistry;
  tools: ToolRegistry;
  contextSources: ContextSourceRegistry;
  assistantSources: AssistantSourceRegistry;
  activity: ApiActivity;
  logger: Logger;
}

const ToolResultSchema = v.object({
  content: v.string(),
  // The step view shows one line: a longer summary is cut, never the tool's result refused.
  summary: v.optional(
    v.pipe(
      v.string(),
      v.transform((text) => text.slice(0, 300)),
    ),
  ),
  isError: v.optional(v.boolean()),
  changes: v.optional(
    v.array(v.object({ path: v.string(), before: v.nullable(v.string()), after: v.nullable(v.string()) })),
  ),
});

const EFFECTS: readonly ToolEffect[] = ['read', 'write', 'run'];

export function registrationsFor(deps: RegistrationDeps, caller: ApiCaller): JanRegistrations {
  /** Adds through `add` (which refuses a taken id) and records it; the Disposable undoes both once. */
  const record = (kind: RegistrationKind, id: string, label: string, add: () => Disposable): Disposable => {
    let added: Disposable;
    try {
      added = add();
    } catch (error) {
      throw new JanApiError('CONFLICT', errorMessage(error));
    }
    const recorded = deps.activity.registered(caller, { kind, id, label });
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        added.dispose();
        recorded.dispose();
      },
    };
  };

  return {
    registerEngine(engine) {
      argument(EngineSchema, engine, 'registerEngine: the engine');
      const owner = deps.activity.ownerOf('engine', engine.id);
      if (deps.engines.get(engine.id) && owner?.id !== caller.id)
        throw new JanApiError(
          'CONFLICT',
          `An engine with id "${engine.id}" is already registered by ${owner?.displayName ?? 'Jan'}.`,
        );
      // A caller may replace its own engine (a server that moved): the registry tells the views once.
      return record('engine', engine.id, engine.displayName, () =>
        deps.engines.register(
          guardedEngine(engine, deps.logger, caller.kind === 'builtin' ? undefined : caller.displayName),
        ),
      );
    },

    registerTool(tool) {
      argument(ToolSchema, tool, 'registerTool: the tool');
      const registered = checkedTool(tool, caller.kind === 'builtin' ? (tool.source ?? caller.id) : caller.id);
      return record('tool', tool.definition.name, tool.definition.name, () => deps.tools.register(registered));
    },

    registerContextSource(source) {
      argument(ContextSourceSchema, source, 'registerContextSource: the source');
      return record('context source', source.id, source.label, () => deps.contextSources.register(source));
    },

    registerAssistantSource(source) {
      argument(AssistantSourceSchema, source, 'registerAssistantSource: the source');
      return record('assistant source', source.id, source.label, () => deps.assistantSources.register(source));
    },
  };
}

/**
 * The tool as the registry holds it: `source` is who offers it (a caller cannot pass for Jan or
 * another extension: approval remembered for one tool never covers another's), and a result that
 * is not a ToolResult reaches the model as the tool's error, not as text Jan cannot read.
 */
function checkedTool(tool: JanToolRegistration, source: string): JanTool {
  const definition = { ...tool.definition };
  const invoke: JanTool['invoke'] = async (args, context) => {
    const result: unknown = await tool.invoke(args, context);
    const checked = validate(ToolResultSchema, result, { what: `The tool ${definition.name} returned a result` });
    return checked.ok ? (checked.value as ToolResult) : { content: checked.error, isError: true };
  };
  const preview = tool.preview?.bind(tool);
  return {
    definition,
    // Read at each call (an MCP tool's effect follows the user's trust in its marks); anything
    // but a known effect asks like a command would.
    get effect() {
      return EFFECTS.includes(tool.effect) ? tool.effect : 'run';
    },
    source,
    invoke,
    ...(preview ? { preview } : {}),
  };
}
