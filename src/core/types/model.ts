/** Jan model.json (0.4/0.5 format), stored in `<models folder>/<model-id>/model.json`. */

export interface ModelSettings {
  /** Context length in tokens (Jan: `ctx_len`). */
  ctx_len?: number;
  /** Number of layers to offload to the GPU; -1 = as many as fit. */
  ngl?: number;
  /** CPU threads; defaults to the machine's physical cores. */
  cpu_threads?: number;
  /** Prompt template in Jan's syntax; unused when the GGUF carries a chat template. */
  prompt_template?: string;
  /** Path of the GGUF, relative to the model folder or absolute (imported in place). */
  llama_model_path?: string;
  [key: string]: unknown;
}

export interface ModelParameters {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  max_tokens?: number;
  stop?: string[];
  frequency_penalty?: number;
  presence_penalty?: number;
  stream?: boolean;
  [key: string]: unknown;
}

export interface ModelSource {
  filename: string;
  url: string;
}

export interface Model {
  object: 'model';
  version: string | number;
  format: 'gguf' | 'api' | string;
  sources: ModelSource[];
  id: string;
  name: string;
  created: number;
  description: string;
  settings: ModelSettings;
  parameters: ModelParameters;
  metadata: {
    author?: string;
    tags?: string[];
    size?: number;
    sha256?: string;
    [key: string]: unknown;
  };
  /** Engine id that runs this model: `llamacpp` or a remote engine's id. */
  engine: string;
}
