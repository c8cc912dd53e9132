/**
 * What the KV cache saves a user, counted in prompt tokens evaluated per turn through the chat
 * path (ConversationService on a JanRuntime): switching threads, a thread past its context, and
 * the first turn after the worker stopped (a restart of the whole runtime, an unload, an idle
 * unload), each ÷ the tokens the turn added. Mean and max, never a median.
 */
import type { JanRuntime } from '../../src/node/runtime';
import { benchThread, mean, round, send } from './setup';
import type { BenchHome } from './setup';

const TURN_MAX_TOKENS = 24;
const SWITCH_TURNS = 8;
const SWITCH_ROUNDS = 6;
const OVERFLOW_TURNS = 15;
const RESTART_THREADS = 3;
const RESTART_TURNS = 6;
const OVERFLOW_QUESTION =
  'Once upon a time there was a little girl named Lily who loved to play in the park with her dog. ';

interface Conversation {
  id: string;
  turns: number;
  lastPrompt: number;
}

async function conversation(runtime: JanRuntime, turns: number, label: string): Promise<Conversation> {
  const thread = await benchThread(runtime, TURN_MAX_TOKENS);
  const made = { id: thread.id, turns: 0, lastPrompt: 0 };
  for (let turn = 0; turn < turns; turn++) await next(runtime, made, label);
  return made;
}

/** The thread's next turn: its tokens evaluated ÷ the tokens it added to the prompt. */
async function next(runtime: JanRuntime, thread: Conversation, label: string) {
  const result = await send(runtime, thread.id, `${label}, turn ${thread.turns}: what did the dog find?`);
  const added = result.prompt - thread.lastPrompt;
  thread.lastPrompt = result.prompt;
  thread.turns++;
  return { ...result, ratio: result.evaluated / added };
}

const summary = (name: string, ratios: number[]) => ({
  [`${name}_eval_ratio_mean`]: round(mean(ratios)),
  [`${name}_eval_ratio_max`]: round(Math.max(...ratios)),
});

export async function measureSwitching(runtime: JanRuntime) {
  const threads = [
    await conversation(runtime, SWITCH_TURNS, 'Thread A'),
    await conversation(runtime, SWITCH_TURNS, 'Thread B'),
  ];
  const switched: number[] = [];
  const switchTtft: number[] = [];
  const stayTtft: number[] = [];
  for (let round = 0; round < SWITCH_ROUNDS; round++) {
    const thread = threads[round % 2]!;
    const first = await next(runtime, thread, 'switch');
    const again = await next(runtime, thread, 'switch');
    switched.push(first.ratio);
    switchTtft.push(first.ttftMs);
    stayTtft.push(again.ttftMs);
  }
  return { ...summary('switch', switched), switch_ttft_ratio: round(mean(switchTtft) / mean(stayTtft)) };
}

/** One thread grown past the context; every turn fitted by the core as a chat turn is. */
export async function measureOverflow(runtime: JanRuntime) {
  const thread = await benchThread(runtime, TURN_MAX_TOKENS);
  const growth: number[] = [];
  const evaluated: number[] = [];
  let previous = 0;
  for (let turn = 0; evaluated.length < OVERFLOW_TURNS; turn++) {
    if (turn > 400) throw new Error('the overflow thread never outgrew the context');
    const result = await send(runtime, thread.id, `Part ${turn}. ${OVERFLOW_QUESTION.repeat(3)}What happened next?`);
    if (result.trimmed) evaluated.push(result.evaluated);
    else if (previous > 0) growth.push(result.prompt - previous);
    previous = result.prompt;
  }
  const turnTokens = mean(growth);
  return {
    ...summary(
      'overflow',
      evaluated.map((tokens) => tokens / turnTokens),
    ),
    overflow_turn_tokens: round(turnTokens, 1),
    overflow_evaluated_tokens_max: Math.max(...evaluated),
    overflow_turns: OVERFLOW_TURNS,
  };
}

/**
 * Threads in the pool when the worker stops; then the first turn of each after the stop. `stop`
 * is a restart of the whole runtime (the editor closed and opened), an unload, an idle unload.
 */
export async function measureStops(home: BenchHome, runtime: JanRuntime) {
  const results: Record<string, number> = {};
  let current = runtime;
  const stops: Array<[string, () => Promise<void>]> = [
    [
      'restart',
      async () => {
        await current.stop();
        current = await home.open();
      },
    ],
    ['unload', () => current.llamacpp.engine.unload(home.chatModel)],
    [
      'idle_unload',
      async () => {
        const stopped = new Promise<void>((resolve) => {
          const subscription = current.core.events.on('OnModelStopped', () => {
            subscription.dispose();
            resolve();
          });
        });
        // The shortest idle time the setting allows (whole minutes): the bench waits on the unload event.
        home.set('jan.engine.idleUnloadMinutes', 1);
        // The idle timer starts when the last request ends: one more (cheap) request starts it.
        await current.llamacpp.engine.countTokens(home.chatModel, 'idle');
        await stopped;
        home.set('jan.engine.idleUnloadMinutes', 0);
      },
    ],
  ];
  for (const [name, stop] of stops) {
    const threads: Conversation[] = [];
    for (let index = 0; index < RESTART_THREADS; index++)
      threads.push(await conversation(current, RESTART_TURNS, `${name} ${index}`));
    await stop();
    const ratios: number[] = [];
    for (const thread of threads) ratios.push((await next(current, thread, `${name} after`)).ratio);
    Object.assign(results, summary(name, ratios));
  }
  return { results, runtime: current };
}
