import type { ModelParameters, ModelSettings } from './model';

/** The model an assistant uses inside one thread (Jan's `ModelInfo`). */
export interface ThreadModelInfo {
  id: string;
  settings: ModelSettings;
  parameters: ModelParameters;
  /** Always written: Jan lost threads when this field went missing. */
  engine: string;
}

export interface ThreadAssistantInfo {
  assistant_id: string;
  assistant_name: string;
  /** Jan 0.6 names, written alongside. */
  id?: string;
  name?: string;
  model: ThreadModelInfo;
  instructions?: string;
}

export interface Thread {
  id: string;
  object: 'thread';
  title: string;
  assistants: ThreadAssistantInfo[];
  /** Unix milliseconds. */
  created: number;
  updated: number;
  metadata?: Record<string, unknown>;
}
