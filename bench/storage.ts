/**
 * Storage benchmark: `npm run bench -- storage`. Builds 10,000 threads × 20 messages (plus one
 * 5,000-message thread) with plain fs writes, then measures through the real extension:
 * listing, opening the big thread, and appends at 10 vs 5,000 messages (the ratio shows that an
 * append never rewrites the file). Also what the cross-process lock adds: the extension's append
 * against the same append primitive called without any lock, and what opening and checking adds
 * to a read (getThread against one plain readFile). Means and maxima. Prints one JSON line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JanCore, silentLogger, textContent } from '@jan/core';
import type { Thread, ThreadMessage } from '@jan/core';
import { JanConversationalExtension, toStoredMessage, toStoredThread } from '../extensions/conversational';
import { appendJsonLine } from '../src/core/store/json-lines';

const THREADS = 10_000;
const MESSAGES_PER_THREAD = 20;
const BIG = 5_000;
const SMALL = 10;
const APPEND_SAMPLES = 31;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
/** Mean and max of a series (never a median: one slow outlier is what a user feels). */
const figures = (values: number[], digits = 2) => ({
  mean: round(mean(values), digits),
  max: round(Math.max(...values), digits),
});

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

const BASE = 1_716_000_000_000;
const words = 'the quick brown fox jumps over a lazy dog while llama cpp streams tokens into the chat view'.split(' ');
const text = (seed: number, length: number) => {
  let out = '';
  for (let i = 0; out.length < length; i++) out += `${words[(seed * 7 + i * 13) % words.length]} `;
  return out.trim();
};

function thread(id: string, index: number): Thread {
  return toStoredThread({
    id,
    object: 'thread',
    title: `Thread ${index}`,
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        model: {
          id: 'qwen2.5-0.5b-instruct',
          settings: { ctx_len: 4096 },
          parameters: { temperature: 0.7 },
          engine: 'llamacpp',
        },
      },
    ],
    created: BASE + index * 1000,
    updated: BASE + index * 1000 + 500,
    metadata: { lastMessage: text(index, 40) },
  });
}

function message(threadId: string, index: number, length: number): ThreadMessage {
  const at = BASE + index * 1000;
  return toStoredMessage({
    id: `m${String(index).padStart(6, '0')}`,
    object: 'thread.message',
    thread_id: threadId,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: textContent(text(index, length)),
    status: 'ready',
    created: at,
    updated: at,
    ...(index % 2 === 1
      ? { assistant_id: 'jan', metadata: { model: 'qwen2.5-0.5b-instruct', tokens_per_second: 21.5 } }
      : {}),
  });
}

/** Fixture written directly (one writeFileSync per file), not through the API being measured. */
function writeThread(threadsDir: string, id: string, index: number, count: number, length: number): void {
  mkdirSync(path.join(threadsDir, id));
  writeFileSync(path.join(threadsDir, id, 'thread.json'), JSON.stringify(thread(id, index), null, 2));
  const lines: string[] = [];
  for (let m = 0; m < count; m++) lines.push(JSON.stringify(message(id, m, m % 2 === 0 ? length / 3 : length)));
  writeFileSync(path.join(threadsDir, id, 'messages.jsonl'), `${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-bench-storage-'));
  try {
    const jan = path.join(root, '.jan');
    const threadsDir = path.join(jan, 'threads');
    mkdirSync(threadsDir, { recursive: true });

    const generateStart = performance.now();
    for (let i = 0; i < THREADS; i++) writeThread(threadsDir, `jan_${1716000000 + i}`, i, MESSAGES_PER_THREAD, 240);
    writeThread(threadsDir, 'jan_big', THREADS, BIG, 600);
    const smallIds = Array.from({ length: APPEND_SAMPLES }, (_, i) => `jan_small_${i}`);
    smallIds.forEach((id, i) => writeThread(threadsDir, id, THREADS + 1 + i, SMALL, 600));
    const generateMs = performance.now() - generateStart;

    const core = new JanCore({ janFolder: jan, modelsFolder: root, logger: silentLogger }).context;
    const store = new JanConversationalExtension(core);

    const listTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const [ms, page] = await timed(() => store.listThreads());
      if (page.threads.length !== THREADS + 1 + APPEND_SAMPLES || page.warnings.length)
        throw new Error(`listed ${page.threads.length} threads, ${page.warnings.length} warnings`);
      listTimes.push(ms);
    }

    const openTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const [ms, page] = await timed(() => store.listMessages('jan_big'));
      if (page.messages.length !== BIG) throw new Error(`read ${page.messages.length} messages`);
      openTimes.push(ms);
    }

    // Interleaved so that disk and load drift hit both sides alike; each small thread gets one append at exactly 10 messages.
    const small: number[] = [];
    const big: number[] = [];
    const unlocked: number[] = [];
    const unlockedFile = path.join(root, 'unlocked-baseline.jsonl');
    for (let i = 0; i < APPEND_SAMPLES; i++) {
      const line = message('x', BIG + i, 600);
      small.push((await timed(() => store.appendMessage({ ...line, id: `s${i}`, thread_id: smallIds[i]! })))[0]);
      big.push((await timed(() => store.appendMessage({ ...line, id: `b${i}`, thread_id: 'jan_big' })))[0]);
      unlocked.push((await timed(() => appendJsonLine(unlockedFile, JSON.stringify(line))))[0]);
    }

    const rewriteTimes: number[] = [];
    const bigMessages = (await store.listMessages('jan_big')).messages;
    for (let run = 0; run < 5; run++) {
      const target = bigMessages[run * 1000]!;
      rewriteTimes.push(
        (await timed(() => store.updateMessage({ ...target, content: textContent(`edited ${run}`) })))[0],
      );
    }
    const updateTimes: number[] = [];
    for (let run = 0; run < 9; run++)
      updateTimes.push((await timed(() => store.updateThread('jan_big', { title: `Renamed ${run}` })))[0]);
    const getTimes: number[] = [];
    for (let run = 0; run < 31; run++) getTimes.push((await timed(() => store.getThread(smallIds[run]!)))[0]);
    // The same file read with one plain call: what the store's opening and checking adds to a read.
    const plainTimes: number[] = [];
    for (let run = 0; run < 31; run++)
      plainTimes.push(
        (await timed(() => readFile(path.join(threadsDir, smallIds[run]!, 'thread.json'), 'utf8').then(JSON.parse)))[0],
      );

    console.log(
      JSON.stringify({
        threads: THREADS + 1 + APPEND_SAMPLES,
        messages: THREADS * MESSAGES_PER_THREAD + BIG + APPEND_SAMPLES * SMALL,
        list_ms: figures(listTimes, 1),
        list_first_ms: round(listTimes[0]!, 1),
        open_5k_ms: figures(openTimes, 1),
        append_ms_at_10: figures(small),
        append_ms_at_5k: figures(big),
        append_ratio: round(mean(big) / mean(small)),
        append_unlocked_ms: figures(unlocked),
        lock_overhead_ratio: round(mean(small) / mean(unlocked)),
        rewrite_5k_ms: figures(rewriteTimes, 1),
        update_thread_ms: figures(updateTimes),
        get_thread_ms: figures(getTimes, 3),
        plain_read_ms: figures(plainTimes, 3),
        read_check_ratio: round(mean(getTimes) / mean(plainTimes)),
        generate_ms: Math.round(generateMs),
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
