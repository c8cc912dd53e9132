import type { FastifyInstance } from 'fastify';
import { newId } from '@jan/core';
import type { FinishReason } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { noteRequest } from '../request-log';
import { CompletionRequestSchema, parseBody, replyLimit } from '../schemas';
import { streamCompletion, wholeCompletion } from '../completion-stream';
import { completionPieces } from '../text-completion';
import { refuseUnsupported } from '../unsupported-fields';
import { stopList } from './chat';

/** OpenAI's default `max_tokens` for a text completion. */
const DEFAULT_MAX_TOKENS = 16;

/**
 * `POST /completions`: the prompt continued as plain text, or with a `suffix`, filled in the
 * middle with the model's FIM tokens. The prompt is used whole (a prompt that does not fit is a
 * 400 `context_length_exceeded`) and `stream: true` sends the text as the model writes it.
 */
export function registerCompletionRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/completions', async (request, reply) => {
    const body = parseBody(CompletionRequestSchema, request.body);
    refuseUnsupported(body);
    const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id, prompt: context.options.logPrompts ? prompt : undefined });
    const signal = clientSignal(reply.raw);
    const base = {
      id: `cmpl-${newId()}`,
      object: 'text_completion' as const,
      created: Math.floor(Date.now() / 1000),
      model: choice.id,
    };
    return context.queue.run(choice.id, signal, async () => {
      const pieces = completionPieces(
        context,
        choice,
        {
          prefix: prompt,
          suffix: body.suffix ?? '',
          max_tokens: replyLimit(body, DEFAULT_MAX_TOKENS),
          temperature: body.temperature ?? undefined,
          top_p: body.top_p ?? undefined,
          seed: body.seed ?? undefined,
          stop: stopList(body.stop),
        },
        signal,
      );
      const choiceOf = (text: string, finishReason: string | null) => ({
        index: 0,
        text,
        logprobs: null,
        finish_reason: finishReason,
      });
      if (!body.stream) {
        const { text, finished } = await wholeCompletion(pieces, signal, request);
        return {
          ...base,
          choices: [choiceOf(text, finishReasonOf(finished.result.finish_reason))],
          usage: usageOf(finished.promptTokens, finished.result.tokens),
        };
      }
      return streamCompletion(reply, request, pieces, signal, {
        piece: (text) => ({ ...base, choices: [choiceOf(text, null)] }),
        finish: ({ result, promptTokens }) => [
          { ...base, choices: [choiceOf('', finishReasonOf(result.finish_reason))] },
          ...(body.stream_options?.include_usage
            ? [{ ...base, choices: [], usage: usageOf(promptTokens, result.tokens) }]
            : []),
        ],
        end: 'done',
      });
    });
  });
}

function finishReasonOf(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
