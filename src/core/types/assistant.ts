/** Jan assistant.json, stored in `.jan/assistants/<id>/assistant.json`. */
export interface AssistantTool {
  type: string;
  enabled: boolean;
  settings?: Record<string, unknown>;
}

export interface Assistant {
  id: string;
  object: 'assistant';
  avatar?: string;
  thread_location?: string;
  name: string;
  description: string;
  /** Model id, or `*` for "whatever the user selected". */
  model: string;
  instructions: string;
  tools: AssistantTool[];
  file_ids: string[];
  /** Jan 0.6: sampling defaults of threads made with this assistant (`temperature`, `top_p`, `max_tokens`, `stop`). */
  parameters?: Record<string, unknown>;
  /** This extension's rules live here (`context_files`, `context_token_cap`, `selection_prompts`; see assistant-config.ts). */
  metadata?: Record<string, unknown>;
  /** Unix milliseconds. */
  created_at: number;
}
