import { LlamaChat, LlamaJsonSchemaValidationError, LlamaText } from 'node-llama-cpp';
import type {
  ChatModelFunctions,
  GbnfJsonSchema,
  Llama,
  LlamaChatResponseFunctionCall,
  LlamaChatResponseFunctionCallParamsChunk,
  LlamaGrammar,
} from 'node-llama-cpp';
import type { ArgsOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';
import { dropOmittedNulls, toGbnfSchema } from './gbnf-schema';
import { toolChatWrapper } from './tool-wrapper';

type ChatArgs = ArgsOf<'chat'>;
type Tool = NonNullable<ChatArgs['tools']>[number];

export interface ToolCallOut {
  name: string;
  /** JSON text of the arguments, generated under the grammar made from the tool's schema. */
  arguments: string;
}

export interface ToolTurnHooks {
  /** Tokens of a call are being generated (they do not pass node-llama-cpp's `onToken`). */
  generating(): void;
  /** A call is complete; `tokens`: how many it took. */
  call(call: ToolCallOut, tokens: number): void;
}

/** What a chat request with tools or a response format adds to a generation. */
export interface ToolTurn {
  /** The slot's own chat, or one on the same sequence (same KV cache) with a tool-aware chat wrapper. */
  chat: LlamaChat;
  /** node-llama-cpp takes either functions or a grammar for one generation. */
  options:
    | { grammar?: LlamaGrammar; functions?: undefined }
    | {
        grammar?: undefined;
        functions: ChatModelFunctions;
        documentFunctionParams: boolean;
        onFunctionCall: (call: LlamaChatResponseFunctionCall<ChatModelFunctions>) => void;
        onFunctionCallParamsChunk: (chunk: LlamaChatResponseFunctionCallParamsChunk) => void;
      };
  /** The tools the template documents, for the prompt's token count. */
  documented: ChatModelFunctions | undefined;
  /**
   * Whether `error` ended a call whose arguments parsed but failed node-llama-cpp's own check (its
   * integer grammar admits `5e-1`); the call is then reported as made, and the core's schema check
   * answers the model with what is wrong (src/core/agent/arguments.ts).
   */
  recovered(error: unknown): boolean;
  dispose(): void;
}

/** node-llama-cpp's function definitions for the request's tools: their grammars come from these schemas. */
export function toFunctions(tools: Tool[] | undefined): ChatModelFunctions | undefined {
  if (!tools?.length) return undefined;
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      { description: tool.description, params: toGbnfSchema(tool.parameters, 'arguments') },
    ]),
  );
}

/**
 * Sets up the request's tools for node-llama-cpp's function calling: `auto` lets the model
 * choose, `required` and a named tool force a call (the call prefix is put in the context and
 * the name and arguments are generated under grammars), `none` documents the tools but offers
 * none. The documented tools are the same whatever the choice, so the prompt (and the KV cache
 * of the thread) does not change between the steps of an agent turn. A `response_format` is a
 * grammar when no tool may be called (node-llama-cpp cannot apply both to one generation).
 */
export async function prepareToolTurn(
  llama: Llama,
  chat: LlamaChat,
  args: ChatArgs,
  hooks: ToolTurnHooks,
): Promise<ToolTurn> {
  const documented = toFunctions(args.tools);
  const choice = args.toolChoice ?? 'auto';
  const named = typeof choice === 'object' ? choice.name : undefined;
  if (named !== undefined && !args.tools?.some((tool) => tool.name === named))
    throw new WorkerError('INVALID_REQUEST', `tool_choice names "${named}", which is not among the request's tools`);
  const functions =
    !documented || choice === 'none'
      ? undefined
      : named !== undefined
        ? Object.fromEntries([[named, documented[named]!]])
        : documented;
  const force = functions !== undefined && choice !== 'auto';
  const grammar = functions ? undefined : await responseGrammar(llama, args.responseFormat);

  const schemas = new Map((args.tools ?? []).map((tool) => [tool.name, tool.parameters]));
  /** The call whose arguments are being generated, and how many tokens of them so far. */
  let writing: { name: string; tokens: number } | undefined;
  const report = (name: string, params: unknown, tokens: number) => {
    writing = undefined;
    const args = JSON.stringify(dropOmittedNulls(params ?? {}, schemas.get(name)));
    hooks.call({ name, arguments: args }, tokens);
  };
  const options: ToolTurn['options'] = functions
    ? {
        functions,
        documentFunctionParams: true,
        onFunctionCallParamsChunk: (chunk) => {
          hooks.generating();
          if (writing?.name !== chunk.functionName) writing = { name: chunk.functionName, tokens: 0 };
          writing.tokens += 1;
        },
        onFunctionCall: (call) =>
          report(call.functionName, call.params, LlamaText.fromJSON(call.raw).tokenize(chat.model.tokenizer).length),
      }
    : { grammar };
  const recovered = (error: unknown) => {
    if (!(error instanceof LlamaJsonSchemaValidationError) || !writing) return false;
    report(writing.name, error.object, writing.tokens);
    return true;
  };
  if (!documented || (!force && functions === documented))
    return { chat, options, documented, recovered, dispose: () => {} };
  const toolChat = new LlamaChat({
    contextSequence: chat.sequence,
    chatWrapper: toolChatWrapper(chat.chatWrapper, documented, force),
  });
  return {
    chat: toolChat,
    options,
    documented,
    recovered,
    dispose: () => toolChat.dispose({ disposeSequence: false }),
  };
}

/** Grammars are compiled once per schema (a client sends the same one again and again). */
const grammars = new Map<string, Promise<LlamaGrammar>>();
const MAX_GRAMMARS = 16;

async function responseGrammar(llama: Llama, format: ChatArgs['responseFormat']): Promise<LlamaGrammar | undefined> {
  if (!format) return undefined;
  // json_object: any JSON object; json_schema without a schema is the same.
  const schema: GbnfJsonSchema =
    format.type === 'json_schema' && format.schema
      ? toGbnfSchema(format.schema, 'answer')
      : { type: 'object', additionalProperties: true };
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    if (grammars.size >= MAX_GRAMMARS) grammars.clear();
    grammar = llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema);
    grammars.set(key, grammar);
    grammar.catch(() => grammars.delete(key));
  }
  return grammar;
}
