import type { Logger } from './logger';

/** A reply whose first token takes longer than this is reported as slow (a warning). */
export const SLOW_FIRST_TOKEN_MS = 15_000;
/** A reply running longer than this is reported as slow, whatever its speed. */
export const SLOW_REPLY_MS = 120_000;

export interface ReplyRecord {
  /** Where it ran: "thread <id>", "Fix on src/a.ts:3-9". */
  what: string;
  modelId: string | undefined;
  status: 'ready' | 'stopped' | 'error';
  completionTokens: number;
  promptTokens?: number;
  cachedPromptTokens?: number;
  startedAt: number;
  firstTokenAt?: number;
  finishedAt: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One line for a finished generation, with its level: tokens evaluated and generated, time and
 * speed at info; a cancel at info; a slow first token or a slow reply as a warning, so the log
 * says where the minutes went. Failures are logged where they are handled.
 */
export function logReply(logger: Logger, reply: ReplyRecord): void {
  const total = reply.finishedAt - reply.startedAt;
  const model = reply.modelId ? ` from ${reply.modelId}` : '';
  if (reply.status === 'stopped') {
    logger.info(`${reply.what}: stopped by the user after ${reply.completionTokens} tokens (${seconds(total)}).`);
  } else if (reply.status === 'ready') {
    const generating =
      reply.firstTokenAt !== undefined ? Math.max(reply.finishedAt - reply.firstTokenAt, 1) : undefined;
    const speed =
      generating !== undefined ? `, ${((reply.completionTokens * 1000) / generating).toFixed(1)} tok/s` : '';
    const prompt =
      reply.promptTokens !== undefined
        ? `; prompt ${reply.promptTokens} tokens${reply.cachedPromptTokens ? ` (${reply.cachedPromptTokens} cached)` : ''}`
        : '';
    const first =
      reply.firstTokenAt !== undefined ? `; first token after ${reply.firstTokenAt - reply.startedAt} ms` : '';
    logger.info(
      `${reply.what}${model}: ${reply.completionTokens} tokens in ${seconds(total)}${speed}${prompt}${first}.`,
    );
  }
  if (reply.status === 'error') return;
  const wait = reply.firstTokenAt !== undefined ? reply.firstTokenAt - reply.startedAt : undefined;
  if (wait !== undefined && wait > SLOW_FIRST_TOKEN_MS) {
    logger.warn(
      `${reply.what}${model}: slow start, the first token came after ${seconds(wait)}` +
        `${reply.promptTokens !== undefined ? ` for a ${reply.promptTokens}-token prompt` : ''} (loading the model, or a long prompt on a slow CPU).`,
    );
  }
  if (total > SLOW_REPLY_MS) {
    logger.warn(
      `${reply.what}${model}: slow reply, ${seconds(total)} for ${reply.completionTokens} tokens (a lower max tokens setting stops it sooner).`,
    );
  }
}
