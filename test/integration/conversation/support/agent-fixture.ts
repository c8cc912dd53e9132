import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConversationService, InferenceService, JanCore, MemoryLogger } from '@jan/core';
import type {
  AgentEvent,
  ApprovalDecision,
  ApprovalPort,
  ApprovalRequest,
  FileChange,
  JanTool,
  Thread,
  ToolContext,
  ToolEffect,
  ToolResult,
} from '@jan/core';
import { JanConversationalExtension } from '../../../../extensions/conversational';
import { ScriptedEngine } from '../../../support/scripted-engine';

/** A tool whose every invocation is recorded; `run` decides what it does. */
export interface RecordingTool extends JanTool {
  calls: Array<{ args: Record<string, unknown>; context: ToolContext }>;
}

export function recordingTool(
  name: string,
  effect: ToolEffect,
  run: (args: Record<string, unknown>, context: ToolContext) => Promise<ToolResult> = async () => ({
    content: `${name} done`,
  }),
  options: { parameters?: Record<string, unknown>; preview?: JanTool['preview']; description?: string } = {},
): RecordingTool {
  const calls: RecordingTool['calls'] = [];
  return {
    definition: {
      name,
      description: options.description ?? `The ${name} tool.`,
      parameters: options.parameters ?? {
        type: 'object',
        properties: { path: { type: 'string' } },
        required: ['path'],
      },
    },
    effect,
    source: 'test',
    calls,
    ...(options.preview ? { preview: options.preview } : {}),
    invoke: (args, context) => {
      calls.push({ args, context });
      return run(args, context);
    },
  };
}

/** An approval port that records what it was asked and answers with the next scripted decision. */
export class ScriptedApproval implements ApprovalPort {
  readonly asked: ApprovalRequest[] = [];
  readonly remembered: string[] = [];
  decisions: ApprovalDecision[] = [];
  always = new Set<string>();
  /** When set, approve waits until this promise settles. */
  waitFor: Promise<unknown> | undefined;

  async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
    this.asked.push(request);
    if (this.waitFor) await this.waitFor;
    return this.decisions.shift() ?? { decision: 'allow-once' };
  }

  isAlwaysAllowed(tool: { name: string }): boolean {
    return this.always.has(tool.name);
  }

  rememberAlways(tool: { name: string }): void {
    this.remembered.push(tool.name);
    this.always.add(tool.name);
  }
}

export interface AgentFixture {
  root: string;
  core: JanCore;
  store: JanConversationalExtension;
  engine: ScriptedEngine;
  service: ConversationService;
  events: AgentEvent[];
  logger: MemoryLogger;
  trusted: { value: boolean };
  newThread(): Promise<Thread>;
  dispose(): Promise<void>;
}

/** The real core, store and conversation service over a scripted engine, with tools registered by the test. */
export async function agentFixture(contextSize?: number): Promise<AgentFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-agent-'));
  const logger = new MemoryLogger();
  const core = new JanCore({ janFolder: path.join(root, '.jan'), modelsFolder: path.join(root, 'models'), logger });
  const store = new JanConversationalExtension(core.context);
  core.register(store);
  await core.start();
  const engine = new ScriptedEngine({ models: ['tiny'], contextSize });
  core.engines.register(engine);
  const inference = new InferenceService({
    engines: core.engines,
    events: core.events,
    logger,
    models: () => undefined,
    chosenModelId: () => 'tiny',
  });
  const trusted = { value: true };
  const service = new ConversationService({
    conversational: store,
    inference,
    events: core.events,
    logger,
    tools: core.tools,
    isTrusted: () => trusted.value,
    workspaceRoot: root,
  });
  const events: AgentEvent[] = [];
  core.events.on('OnAgentStep', (event) => void events.push(event));
  return {
    root,
    core,
    store,
    engine,
    service,
    events,
    logger,
    trusted,
    newThread: () =>
      store.createThread({
        title: 'New Chat',
        assistants: [
          {
            assistant_id: 'jan',
            assistant_name: 'Jan',
            instructions: 'Be kind.',
            model: { id: '*', engine: 'llamacpp', settings: {}, parameters: {} },
          },
        ],
      }),
    dispose: async () => {
      await core.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A promise and the function that settles it, for a test to hold a tool or an approval until it says so. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

export type { FileChange };
