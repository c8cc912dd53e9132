import { invalidRequest } from './errors';

/**
 * Fields that would change the answer in a way this server cannot honour. Answering as if they
 * were not there would mislead the client, so each gets a 400 naming it; a field set to its
 * "off" value (`n: 1`, `functions: []`, `logprobs: false`) is accepted. Tools and response
 * formats are honoured (tool-fields.ts).
 */
const CHECKS: Array<{ field: string; inUse: (value: unknown) => boolean; why: string }> = [
  {
    field: 'n',
    inUse: (value) => typeof value === 'number' && value > 1,
    why: 'only one choice per request (n = 1) is supported',
  },
  { field: 'best_of', inUse: (value) => typeof value === 'number' && value > 1, why: 'best_of > 1 is not supported' },
  { field: 'echo', inUse: (value) => value === true, why: 'echo is not supported' },
  // The old function-calling fields (tools, tool_choice and tool messages replace them).
  { field: 'functions', inUse: nonEmpty, why: "the old function calls are not supported; use 'tools'" },
  {
    field: 'function_call',
    inUse: (value) => value !== undefined && value !== null && value !== 'none' && value !== 'auto',
    why: "the old function calls are not supported; use 'tool_choice'",
  },
  {
    field: 'logprobs',
    inUse: (value) => value === true || (typeof value === 'number' && value > 0),
    why: 'log probabilities are not supported',
  },
  {
    field: 'top_logprobs',
    inUse: (value) => typeof value === 'number' && value > 0,
    why: 'log probabilities are not supported',
  },
  {
    field: 'logit_bias',
    inUse: (value) => typeof value === 'object' && value !== null && Object.keys(value).length > 0,
    why: 'logit_bias is not supported',
  },
  { field: 'audio', inUse: (value) => value !== undefined && value !== null, why: 'audio output is not supported' },
  {
    field: 'modalities',
    inUse: (value) => Array.isArray(value) && value.some((item) => item !== 'text'),
    why: 'only text output is supported',
  },
  {
    field: 'prediction',
    inUse: (value) => value !== undefined && value !== null,
    why: 'predicted outputs are not supported',
  },
];

export function refuseUnsupported(body: Record<string, unknown>): void {
  for (const check of CHECKS) {
    if (check.field in body && check.inUse(body[check.field])) {
      throw invalidRequest(
        `Unsupported parameter: '${check.field}': ${check.why}.`,
        check.field,
        'unsupported_parameter',
      );
    }
  }
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}
