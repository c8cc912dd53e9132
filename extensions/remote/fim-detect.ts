import type OpenAI from 'openai';
import { serverRoot } from './client';
import type { FimMode } from './presets';

/**
 * The fill-in-the-middle mode a server's own endpoints reveal: llama.cpp server answers `/props`
 * (and has `/infill`), Ollama answers `/api/version` (and takes `suffix`), Mistral's API is at
 * api.mistral.ai. Undefined: nothing recognisable, the preset's mode stands.
 */
export async function detectFimMode(client: OpenAI, signal: AbortSignal): Promise<FimMode | undefined> {
  const root = serverRoot(client.baseURL);
  if (new URL(root).hostname === 'api.mistral.ai') return 'mistral-fim';
  const answers = async (path: string) =>
    client.get(`${root}${path}`, { signal, maxRetries: 0 }).then(
      (body) => typeof body === 'object' && body !== null,
      () => false,
    );
  if (await answers('/props')) return 'infill';
  if (await answers('/api/version')) return 'completions-suffix';
  return undefined;
}
