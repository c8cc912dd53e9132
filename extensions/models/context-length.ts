/** Largest context length accepted from a GGUF header or a model.json (16M tokens). */
export const MAX_CONTEXT_LENGTH = 16 * 1024 * 1024;

/**
 * A context length is a whole number of tokens from 1 to MAX_CONTEXT_LENGTH. A file may claim
 * 1e308, 0.5 or NaN; such a value must never reach model.json or the engine.
 */
export function isContextLength(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_CONTEXT_LENGTH;
}
