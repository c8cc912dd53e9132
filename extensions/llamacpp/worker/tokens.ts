import type { Token } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';
import type { LoadedModel } from './loaded-model';

/** Token ids of a text, and the text of each; `special` adds the beginning-of-text token the model expects. */
export function tokenize(loaded: LoadedModel, args: ArgsOf<'tokenize'>): ResultOf<'tokenize'> {
  const model = loaded.model;
  const tokens: number[] = [...model.tokenize(args.text)];
  const bos = model.tokens.bos;
  if (args.special && bos !== null && model.tokens.shouldPrependBosToken !== false && tokens[0] !== bos)
    tokens.unshift(bos);
  return { tokens, pieces: tokens.map((token) => piece(loaded, token as Token)) };
}

/** A byte-fallback token (`<0xC3>`) holds part of a character: its byte, as llama-server's /tokenize gives it. */
function piece(loaded: LoadedModel, token: Token): string | number[] {
  const text = loaded.model.detokenize([token], true);
  if (!text.includes('\uFFFD')) return text;
  const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(vocabulary(loaded)[token] ?? '');
  return byte ? [parseInt(byte[1]!, 16)] : text;
}

/** The text of token ids. An id outside the vocabulary makes llama.cpp abort the process, so each is checked first. */
export function detokenize(loaded: LoadedModel, args: ArgsOf<'detokenize'>): ResultOf<'detokenize'> {
  const size = vocabularySize(loaded);
  const bad = args.tokens.findIndex((token) => !Number.isInteger(token) || token < 0 || token >= size);
  if (bad >= 0) {
    throw new WorkerError(
      'INVALID_REQUEST',
      `tokens[${bad}] = ${args.tokens[bad]} is not a token of model "${loaded.id}" (ids 0 to ${size - 1}).`,
    );
  }
  return { text: loaded.model.detokenize(args.tokens as Token[], true) };
}

function vocabularySize(loaded: LoadedModel): number {
  return vocabulary(loaded).length;
}

/** The token texts of the GGUF's vocabulary (node-llama-cpp keeps the file's metadata). */
function vocabulary(loaded: LoadedModel): readonly string[] {
  const tokens: unknown = loaded.model.fileInfo.metadata.tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? (tokens as string[]) : [];
}
