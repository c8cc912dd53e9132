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
      // No stop strings for the server: a fenced answer's first line break comes right after its fence.
      const body = {
        model,
        messages: [
          { role: 'system', content: CONTINUE_PROMPT },
          { role: 'user', content: request.prefix },
        ],
        max_tokens: request.max_tokens,
        temperature: request.temperature,
      };
      const answer = parseWire(
        MessageCompletionSchema,
        await client.post('/chat/completions', { body, signal: options.signal }),
        'the completion',
      );
      const choice = answer.choices[0]!;
      return {
        text: untilStop(codeOfChatReply(choice.message.content ?? '', request.prefix), request.stop),
        finishReason: finishReason(choice.finish_reason),
        tokens: answer.usage?.completion_tokens ?? 0,
      };
    }
  }
}

/** A Markdown code fence line, with or without a language. */
const FENCE = /^[ \t]*(```|~~~)[\w+#.-]*[ \t]*$/;

/**
 * The code in a chat model's answer to "continue the code": the first fenced block when the answer
 * has one (prose around it left out), else the answer as it is; without the end of the given code
 * that chat models often write again first (the last lines, the cursor's line as typed so far).
 */
export function codeOfChatReply(reply: string, prefix: string): string {
  const lines = reply.replace(/\r\n?/g, '\n').split('\n');
  const opening = lines.findIndex((line) => FENCE.test(line));
  let code = reply.replace(/\r\n?/g, '\n');
  if (opening >= 0) {
    const closing = lines.findIndex((line, index) => index > opening && FENCE.test(line));
    code = lines.slice(opening + 1, closing < 0 ? undefined : closing).join('\n');
  }
  return withoutRepeatedPrefix(code, prefix);
}

/** `code` without what it repeats of the end of `prefix`: whole lines before the cursor's, then the cursor's line as typed. */
function withoutRepeatedPrefix(code: string, prefix: string): string {
  const before = prefix.split('\n');
  const typed = before.pop()!.trim();
  const lines = code.split('\n');
  for (let count = Math.min(10, before.length); count >= 0; count--) {
    const repeated = before.slice(before.length - count);
    if (!repeated.every((line, index) => line.trim() !== '' && line.trim() === lines[index]?.trim())) continue;
    const next = lines[count];
    if (next === undefined) continue;
    if (typed.length >= 2 && next.trim().startsWith(typed))
      return [next.trimStart().slice(typed.length), ...lines.slice(count + 1)].join('\n');
    if (!typed && count > 0) return lines.slice(count).join('\n');
  }
  return code;
}

/** The text up to the first of the stop strings, as a server applying them would have sent it. */
function untilStop(text: string, stop: readonly string[] | undefined): string {
  const at = Math.min(
    ...(stop ?? []).map((candidate) => (candidate ? text.indexOf(candidate) : -1)).filter((index) => index >= 0),
  );
  return Number.isFinite(at) ? text.slice(0, at) : text;
}
