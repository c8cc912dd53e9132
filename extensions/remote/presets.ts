/**
 * How a server fills in the middle for inline completion:
 * - `completions-suffix`: OpenAI's legacy `/completions` with `prompt` + `suffix` (Ollama, OpenAI's instruct models)
 * - `infill`: llama.cpp server's `/infill` with `input_prefix` / `input_suffix`
 * - `mistral-fim`: Mistral's `/fim/completions` (Codestral)
 * - `completions-prefix`: `/completions` with the prefix only (vLLM, LM Studio: no `suffix`)
 * - `chat-prefix`: a chat request that continues the prefix, for servers that only chat (Groq)
 */
export type FimMode = 'completions-suffix' | 'infill' | 'mistral-fim' | 'completions-prefix' | 'chat-prefix';

export const FIM_MODES: readonly FimMode[] = [
  'completions-suffix',
  'infill',
  'mistral-fim',
  'completions-prefix',
  'chat-prefix',
];

export type PresetId =
  | 'openai-compatible'
  | 'llamacpp-server'
  | 'vllm'
  | 'ollama'
  | 'lmstudio'
  | 'jan'
  | 'openai'
  | 'mistral'
  | 'groq'
  | 'openrouter'
  | 'custom';

export interface RemotePreset {
  id: PresetId;
  label: string;
  /** The base URL the server listens on by default (up to and including `/v1`). */
  baseUrl: string;
  /** A hosted provider refuses every request without a key; a local server usually takes none. */
  keyRequired: boolean;
  fim: FimMode;
}

export const REMOTE_PRESETS: readonly RemotePreset[] = [
  {
    id: 'openai-compatible',
    label: 'OpenAI-compatible server',
    baseUrl: 'http://127.0.0.1:8000/v1',
    keyRequired: false,
    fim: 'completions-prefix',
  },
  {
    id: 'llamacpp-server',
    label: 'llama.cpp server',
    baseUrl: 'http://127.0.0.1:8080/v1',
    keyRequired: false,
    fim: 'infill',
  },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', keyRequired: false, fim: 'completions-prefix' },
  {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    keyRequired: false,
    fim: 'completions-suffix',
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    keyRequired: false,
    fim: 'completions-prefix',
  },
  {
    id: 'jan',
    label: "Jan desktop's API server",
    baseUrl: 'http://127.0.0.1:1337/v1',
    keyRequired: false,
    fim: 'completions-prefix',
  },
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', keyRequired: true, fim: 'chat-prefix' },
  { id: 'mistral', label: 'Mistral', baseUrl: 'https://api.mistral.ai/v1', keyRequired: true, fim: 'mistral-fim' },
  { id: 'groq', label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', keyRequired: true, fim: 'chat-prefix' },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    keyRequired: true,
    fim: 'chat-prefix',
  },
  { id: 'custom', label: 'Custom URL', baseUrl: '', keyRequired: false, fim: 'completions-prefix' },
];

export function presetById(id: string): RemotePreset | undefined {
  return REMOTE_PRESETS.find((preset) => preset.id === id);
}
