import type OpenAI from 'openai';
import type { CompletionRequest, FinishReason } from '@jan/core';
import { serverRoot } from './client';
import type { FimMode } from './presets';
import { InfillSchema, MessageCompletionSchema, TextCompletionSchema, parseWire } from './wire';

export interface FimResult {
  text: string;
  finishReason: FinishReason;
  tokens: number;
}

/** Asked of a server that only chats: continue the code, nothing else. */
const CONTINUE_PROMPT =
  'Continue the code exactly where it stops. Reply with the continuation only: no explanation, no code fence, no repetition of the given code.';

export function finishReason(value: string | null | undefined): FinishReason {
  if (value === 'length') return 'length';
  // `function_call` is what servers that predate `tools` send.
  if (value === 'tool_calls' || value === 'function_call') return 'tool_calls';
  if (value === null || value === undefined) return null;
  return 'stop';
}

/** One fill-in-the-middle request in the engine's mode; `model` is the server's own model id. */
export async function fillInMiddle(
  client: OpenAI,
  mode: FimMode,
  model: string,
  request: CompletionRequest,
  options: { signal: AbortSignal },
): Promise<FimResult> {
  const sampling = {
    max_tokens: request.max_tokens,
    temperature: request.temperature,
    ...(request.stop?.length ? { stop: request.stop } : {}),
  };
  switch (mode) {
    case 'completions-suffix':
    case 'completions-prefix': {
      const body = {
        model,
        prompt: request.prefix,
        ...(mode === 'completions-suffix' ? { suffix: request.suffix } : {}),
        ...sampling,
      };
      const answer = parseWire(
        TextCompletionSchema,
        await client.post('/completions', { body, signal: options.signal }),
        'the completion',
      );
      const choice = answer.choices[0]!;
      return {
        text: choice.text,
        finishReason: finishReason(choice.finish_reason),
        tokens: answer.usage?.completion_tokens ?? 0,
      };
    }
    case 'mistral-fim': {
      const body = { model, prompt: request.prefix, suffix: request.suffix, ...sampling };
      const answer = parseWire(
        MessageCompletionSchema,
        await client.post('/fim/completions', { body, signal: options.signal }),
        'the completion',
      );
      const choice = answer.choices[0]!;
      return {
        text: choice.message.content ?? '',
        finishReason: finishReason(choice.finish_reason),
        tokens: answer.usage?.completion_tokens ?? 0,
      };
    }
    case 'infill': {
      const body = {
        // llama-server in router mode (and Jan's own server) serves several models: name it.
        model,
        input_prefix: request.prefix,
        input_suffix: request.suffix,
        n_predict: request.max_tokens,
        temperature: request.temperature,
        ...(request.stop?.length ? { stop: request.stop } : {}),
      };
      const url = `${serverRoot(client.baseURL)}/infill`;
      const answer = parseWire(InfillSchema, await client.post(url, { body, signal: options.signal }), 'the infill');
      return {
        text: answer.content,
        finishReason: answer.stop_type === 'limit' ? 'length' : 'stop',
        tokens: answer.tokens_predicted ?? 0,
      };
    }
    case 'chat-prefix': {
      const body = {
        model,
        messages: [
          { role: 'system', content: CONTINUE_PROMPT },
          { role: 'user', content: request.prefix },
        ],
        ...sampling,
      };
      const answer = parseWire(
        MessageCompletionSchema,
        await client.post('/chat/completions', { body, signal: options.signal }),
        'the completion',
      );
      const choice = answer.choices[0]!;
      return {
        text: choice.message.content ?? '',
        finishReason: finishReason(choice.finish_reason),
        tokens: answer.usage?.completion_tokens ?? 0,
      };
    }
  }
}
