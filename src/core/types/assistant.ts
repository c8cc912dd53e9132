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
  metadata?: Record<string, unknown>;
  /** Unix milliseconds. */
  created_at: number;
}
