/**
 * `npm run bench -- agent`: tool calls and agent turns through JanRuntime (the one inference path,
 * the real llama.cpp worker, the real store) on the test model. Prints one JSON line:
 * - tool_call_parse_rate: calls whose arguments are a JSON object ÷ calls asked for, over 200
 *   forced calls against 12 varied schemas (goal 1.0; a call cut by max_tokens counts as a
 *   failure); tool_call_schema_rate: those that also match the schema (the grammar's shape, plus
 *   what node-llama-cpp's grammar lets through, such as an integer written 5e-1). The `_unenforceable`
 *   pair: 40 calls against schemas with keywords no grammar expresses (minimum, pattern, email, …),
 *   which the loop's schema check catches (src/core/agent/arguments.ts); misses go to stderr.
 * - step_eval_ratio_mean / _max: prompt tokens evaluated by an agent step ÷ tokens the step
 *   appended to the previous step's prompt (its call and results), over the steps after the first
 *   of agent turns (goal ≤ 1.3: the KV cache holds the thread). next_turn_eval_ratio_*: the same
 *   for the next user turn after an agent turn. after_unload_eval_share: prompt tokens evaluated
 *   ÷ prompt tokens of the first step after the model was unloaded (1.0: nothing kept, expected).
 * (JAN_BENCH_PARSE_CALLS=n asks for n calls instead of 200, for a quick look.) Each agent thread's
 *   prompt/cached tokens per model call go to stderr.
 * - tool_tokens_per_turn: tokens the built-in tools' descriptions take in the prompt as the loop
 *   offers them (compact), in a typical BPE vocabulary (o200k, `gpt-tokenizer`) over the text the
 *   chat template renders (goal ≤ 800); _test_model: the same counted by the test model, whose
 *   512-token vocabulary spends about a token a character.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assembleToolCalls, compactDefinition, MemoryLogger, validateArguments } from '@jan/core';
import type { ChatCompletionChunk, JanTool, ModelChoice, ThreadMessage, ToolDefinition } from '@jan/core';
import { encode } from 'gpt-tokenizer';
import { ChatMLChatWrapper } from 'node-llama-cpp';
import { toFunctions } from '../extensions/llamacpp/worker/tool-turn';
import { JanRuntime } from '../src/node/runtime';
import { bundleEntry } from '../test/support/bundle-entry';
import { STORIES_FIM } from '../test/support/test-models';
import { SMALL_ENGINE, testSettings } from '../test/support/test-settings';

const root = process.cwd();
/** The test model's training context (a larger setting is capped to it). */
const CONTEXT = 2048;
const PARSE_CALLS = Number(process.env.JAN_BENCH_PARSE_CALLS ?? 200);
const UNENFORCEABLE_CALLS = Number(process.env.JAN_BENCH_PARSE_CALLS ?? 200) / 5;
const AGENT_TURNS = 6;
const AGENT_STEPS = 4;

const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
});

/** Schemas the grammar expresses fully: every call must parse and match. */
const ENFORCEABLE: Array<Record<string, unknown>> = [
  object({ path: { type: 'string', maxLength: 40 }, start_line: { type: 'integer' }, end_line: { type: 'integer' } }, [
    'path',
  ]),
  object({ query: { type: 'string', maxLength: 30 }, mode: { enum: ['exact', 'regex', 'word'] } }),
  object({
    path: { type: 'string', maxLength: 30 },
    edits: {
      type: 'array',
      maxItems: 3,
      items: object({ old: { type: 'string', maxLength: 20 }, new: { type: 'string', maxLength: 20 } }),
    },
  }),
  object({
    when: { type: 'string', format: 'date' },
    all_day: { type: 'boolean' },
    title: { type: 'string', maxLength: 20 },
  }),
  object({ value: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 10 }, { type: 'null' }] } }),
  object({
    config: object({
      name: { type: 'string', maxLength: 20 },
      tags: { type: 'array', items: { enum: ['a', 'b', 'c'] }, maxItems: 3 },
      nested: object({ level: { type: 'integer' }, on: { type: 'boolean' } }),
    }),
  }),
  object(
    {
      ids: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 4 },
      reason: { type: 'string', maxLength: 30 },
    },
    ['ids'],
  ),
  {
    ...object({ from: { $ref: '#/$defs/point' }, to: { $ref: '#/$defs/point' } }),
    $defs: { point: object({ x: { type: 'number' }, y: { type: 'number' } }) },
  },
  object({ kind: { const: 'move' }, target: { type: ['string', 'null'], maxLength: 20 } }),
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...object({
      pair: { type: 'array', prefixItems: [{ type: 'string', maxLength: 10 }, { type: 'integer' }], items: false },
    }),
  },
  { type: 'object', properties: {} },
  object({ text: { type: 'string', minLength: 3, maxLength: 40 } }),
];

/** Keywords no grammar here expresses: the schema check after generation catches these. */
const UNENFORCEABLE: Array<Record<string, unknown>> = [
  object({ line: { type: 'integer', minimum: 1, maximum: 100 } }),
  object({ id: { type: 'string', pattern: '^[a-z]{3}-[0-9]{2}$' } }),
  object({ email: { type: 'string', format: 'email' } }),
  object({ tags: { type: 'array', items: { type: 'string', maxLength: 5 }, uniqueItems: true, maxItems: 4 } }),
];

const PROMPTS = [
  'Read the main file.',
  'Find where the config is loaded.',
  'Fix the bug in the parser.',
  'Schedule the meeting.',
  'What is the value?',
  'Set up the project.',
  'Delete the old records.',
  'Draw a line between the points.',
  'Move the piece.',
  'Pair them up.',
];

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Rates {
  /** Calls made whose arguments are a JSON object. */
  parsed: number;
  /** …that also match the tool's schema. */
  valid: number;
  /** The first few that did not match, for the log. */
  misses: string[];
}

/** Generates forced calls against `schemas` in turn: how many came back, parsed, and matched the schema. */
async function rates(
  runtime: JanRuntime,
  model: ModelChoice,
  schemas: Array<Record<string, unknown>>,
  calls: number,
): Promise<Rates> {
  const result: Rates = { parsed: 0, valid: 0, misses: [] };
  for (let index = 0; index < calls; index++) {
    const tool: ToolDefinition = {
      name: `tool_${index % schemas.length}`,
      description: 'Do the task.',
      parameters: schemas[index % schemas.length]!,
    };
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of runtime.inference.chat(model, {
      messages: [{ role: 'user', content: PROMPTS[index % PROMPTS.length]! }],
      tools: [tool],
      tool_choice: { type: 'function', function: { name: tool.name } },
      max_tokens: 300,
      temperature: 0.8,
      seed: index,
    }))
      chunks.push(chunk);
    const made = assembleToolCalls(chunks);
    if (made.length !== 1) continue;
    const text = made[0]!.function.arguments;
    if (isObjectJson(text)) result.parsed += 1;
    const checked = await validateArguments(tool, text);
    if (checked.ok) result.valid += 1;
    else if (result.misses.length < 5) result.misses.push(`${checked.error} ${text}`);
  }
  result.parsed /= calls;
  result.valid /= calls;
  return result;
}

function isObjectJson(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Read-only tools over a few generated files, answering like workspace tools do (a few hundred characters). */
function benchTools(): JanTool[] {
  const file = (name: string) =>
    Array.from({ length: 4 }, (_, line) => `${name}:${line + 1}: const v${line} = f(${line});`).join('\n');
  const tool = (
    name: string,
    parameters: Record<string, unknown>,
    answer: (args: Record<string, unknown>) => string,
  ): JanTool => ({
    definition: { name, description: `${name.replace('_', ' ')} in the workspace`, parameters },
    effect: 'read',
    source: 'bench',
    invoke: async (args) => ({ content: answer(args) }),
  });
  return [
    tool('read_lines', object({ path: { type: 'string', maxLength: 30 } }), (args) => file(String(args.path))),
    tool('list_files', object({ pattern: { type: 'string', maxLength: 20 } }), (args) =>
      ['src/a.ts', 'src/b.ts', 'test/a.test.ts'].map((name) => `${name} (matches ${String(args.pattern)})`).join('\n'),
    ),
    tool('grep_text', object({ query: { type: 'string', maxLength: 20 } }), (args) =>
      [3, 7, 9].map((line) => `src/a.ts:${line}: ${String(args.query)} = compute(${line});`).join('\n'),
    ),
  ];
}

interface StepUsage {
  prompt: number;
  cached: number;
}

const usageOf = (message: ThreadMessage): StepUsage | undefined => {
  const prompt = message.metadata?.prompt_tokens;
  const cached = message.metadata?.cached_prompt_tokens;
  return typeof prompt === 'number' && typeof cached === 'number' ? { prompt, cached } : undefined;
};

/** Evaluated ÷ appended for each model call after the first of a turn (the previous call's prompt is the base). */
function stepRatios(messages: ThreadMessage[], from: number): number[] {
  const steps = messages
    .slice(from)
    .filter((message) => message.role === 'assistant')
    .map(usageOf);
  const ratios: number[] = [];
  for (let index = 1; index < steps.length; index++) {
    const [before, now] = [steps[index - 1], steps[index]];
    if (!before || !now || now.prompt <= before.prompt) continue;
    ratios.push((now.prompt - now.cached) / (now.prompt - before.prompt));
  }
  return ratios;
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'jan-bench-agent-'));
  const chosen: { id?: string } = {};
  const runtime: JanRuntime = new JanRuntime({
    janFolder: path.join(folder, '.jan'),
    modelsFolder: path.join(folder, 'models'),
    logger: new MemoryLogger(),
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', root),
    downloadWorkerPath: path.join(folder, 'unused.mjs'),
    settings: testSettings({
      ...SMALL_ENGINE,
      'jan.engine.contextSize': CONTEXT,
      'jan.chatModel': () => chosen.id ?? '',
    }),
    workspaceRoot: folder,
  });
  await runtime.start();
  chosen.id = (await runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  const model = await runtime.inference.require('chat');

  const enforceable = await rates(runtime, model, ENFORCEABLE, PARSE_CALLS);
  const unenforceable = await rates(runtime, model, UNENFORCEABLE, UNENFORCEABLE_CALLS);
  for (const miss of [...enforceable.misses, ...unenforceable.misses]) console.error(`schema miss: ${miss}`);

  // The built-in tools as the runtime registers them; before the workspace tools are merged, their definitions as they stand.
  const registered = runtime.core.tools.all().map((tool) => tool.definition);
  const snapshot = JSON.parse(readFileSync(path.join(root, 'bench', 'agent-builtin-tools.json'), 'utf8')) as {
    tools: ToolDefinition[];
  };
  const builtIn = (registered.length ? registered : snapshot.tools).map(compactDefinition);
  const question = [{ role: 'user' as const, content: 'Where is the config read?' }];
  const engine = runtime.inference.engine(model);
  const toolTokensTestModel =
    (await engine.countChatTokens!(model.id, question, builtIn)) - (await engine.countChatTokens!(model.id, question));
  const toolText = new ChatMLChatWrapper()
    .generateAvailableFunctionsSystemText(toFunctions(builtIn.map((tool) => ({ ...tool })))!, { documentParams: true })
    .toString();

  // Tools with fixed answers, under names of their own beside the built-in ones; only they are offered (the
  // built-in tools' descriptions alone are more than the test model's context).
  const tools = benchTools();
  for (const tool of tools) runtime.core.tools.register(tool);
  const offered = tools.map((tool) => tool.definition.name);
  const approval = { approve: async () => ({ decision: 'allow-once' as const }) };
  const agent = {
    approval,
    tools: offered,
    toolChoice: 'required' as const,
    limits: { maxSteps: AGENT_STEPS, maxRepeats: 3 },
  };
  const stepRatioList: number[] = [];
  const nextTurnRatios: number[] = [];
  let afterUnload = 0;
  for (let turn = 0; turn < AGENT_TURNS; turn++) {
    const thread = await runtime.conversational.createThread({
      title: `bench ${turn}`,
      assistants: [
        {
          assistant_id: 'jan',
          assistant_name: 'Jan',
          instructions: 'You help with a code workspace.',
          model: {
            id: model.id,
            engine: 'llamacpp',
            settings: {},
            parameters: { temperature: 0.8, seed: turn, max_tokens: 64 },
          },
        },
      ],
    });
    await runtime.conversation.send(thread.id, PROMPTS[turn % PROMPTS.length]!, [], { agent });
    let { messages } = await runtime.conversational.listMessages(thread.id);
    stepRatioList.push(...stepRatios(messages, 0));
    // The next user turn of the same thread, still in agent mode: the turn's steps stay in the cache.
    const before = messages.length;
    await runtime.conversation.send(thread.id, 'Thanks. And then?', [], { agent: { approval, tools: offered } });
    ({ messages } = await runtime.conversational.listMessages(thread.id));
    nextTurnRatios.push(...stepRatios(messages, before - 1));
    const steps = messages.filter((message) => message.role !== 'user').map(usageOf);
    console.error(
      `thread ${turn}: prompt/cached per model call ${steps.map((u) => (u ? `${u.prompt}/${u.cached}` : '-')).join(' ')}`,
    );
    if (turn === AGENT_TURNS - 1) {
      // An unload (idle, settings change, a crash) loses the KV cache: the next step evaluates the thread again.
      await engine.unload(model.id);
      const start = messages.length;
      await runtime.conversation.send(thread.id, 'Read it again.', [], { agent });
      ({ messages } = await runtime.conversational.listMessages(thread.id));
      const first = usageOf(messages[start + 1]!);
      afterUnload = first ? (first.prompt - first.cached) / first.prompt : Number.NaN;
    }
  }
  await runtime.stop();
  rmSync(folder, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      bench: 'agent',
      tool_call_parse_rate: round(enforceable.parsed),
      tool_call_schema_rate: round(enforceable.valid),
      tool_calls: PARSE_CALLS,
      tool_call_parse_rate_unenforceable: round(unenforceable.parsed),
      tool_call_schema_rate_unenforceable: round(unenforceable.valid),
      step_eval_ratio_mean: round(mean(stepRatioList)),
      step_eval_ratio_max: round(Math.max(...stepRatioList)),
      steps_measured: stepRatioList.length,
      next_turn_eval_ratio_mean: round(mean(nextTurnRatios)),
      next_turn_eval_ratio_max: round(Math.max(...nextTurnRatios)),
      after_unload_eval_share: round(afterUnload),
      tool_tokens_per_turn: encode(toolText).length,
      tool_tokens_per_turn_test_model: toolTokensTestModel,
      tool_chars_per_turn: toolText.length,
      tools_measured: builtIn.length,
      tool_tokens_source: registered.length ? 'registered in JanRuntime' : 'bench/agent-builtin-tools.json',
      model: path.basename(STORIES_FIM),
      context: CONTEXT,
    }),
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
