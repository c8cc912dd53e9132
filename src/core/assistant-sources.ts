/**
 * Assistants from another extension (a team's shared prompts, a service): listed in the chat's
 * assistant picker under the caller's name, used like the user's own, never written to disk
 * (Duplicate copies one into the user's assistants). Checked at run time: a source that throws,
 * hangs or returns garbage loses only its own entries.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { withDeadline } from './deadline';
import { IdRegistry } from './id-registry';
import { errorMessage } from './logger';
import { ANY_MODEL } from './model-choice';
import type { Assistant } from './types';

/** An assistant as a source gives it; Jan fills the rest of assistant.json. */
export interface AssistantSpec {
  id: string;
  name: string;
  instructions: string;
  description?: string;
  /** A model id the assistant pins; default: the user's chat model. */
  model?: string;
  avatar?: string;
  /** Sampling defaults of its threads (`temperature`, `top_p`, `max_tokens`, `stop`). */
  parameters?: Record<string, unknown>;
}

export interface AssistantSource {
  /** Unique among assistant sources: `acme.team-prompts`. */
  readonly id: string;
  /** The picker's group ("Acme team prompts"). */
  readonly label: string;
  list(signal: AbortSignal): Promise<AssistantSpec[]>;
}

/** An assistant from a source, and which source. */
export interface SourcedAssistant {
  assistant: Assistant;
  source: AssistantSource;
}

const LIST_TIMEOUT_MS = 3000;
const AssistantId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ -'));
const SpecsSchema = v.pipe(
  v.array(
    v.object({
      id: AssistantId,
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
      instructions: v.pipe(v.string(), v.maxLength(100_000)),
      description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
      model: v.optional(v.pipe(v.string(), v.maxLength(256))),
      avatar: v.optional(v.pipe(v.string(), v.maxLength(16))),
      parameters: v.optional(v.record(v.string(), v.unknown())),
    }),
  ),
  v.maxLength(500),
);

export class AssistantSourceRegistry extends IdRegistry<AssistantSource> {
  constructor() {
    super('assistant source');
  }

  /** Every source's assistants, each checked; a source that fails is left out and `failed` hears why. */
  async assistants(failed: (source: AssistantSource, reason: string) => void): Promise<SourcedAssistant[]> {
    const lists = await Promise.all(
      this.all().map(async (source) => {
        const controller = new AbortController();
        try {
          const specs = await withDeadline(source.list(controller.signal), LIST_TIMEOUT_MS);
          const checked = validate(SpecsSchema, specs, { what: `${source.label}'s assistants` });
          if (!checked.ok) throw new Error(checked.error);
          return checked.value.map((spec) => ({ assistant: toAssistant(spec, source.id), source }));
        } catch (error) {
          controller.abort();
          failed(source, errorMessage(error));
          return [];
        }
      }),
    );
    return lists.flat();
  }
}

function toAssistant(spec: AssistantSpec, sourceId: string): Assistant {
  return {
    id: spec.id,
    object: 'assistant',
    name: spec.name,
    description: spec.description ?? '',
    model: spec.model?.trim() || ANY_MODEL,
    instructions: spec.instructions,
    tools: [],
    file_ids: [],
    ...(spec.avatar ? { avatar: spec.avatar } : {}),
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    metadata: { assistant_source: sourceId },
    created_at: 0,
  };
}
