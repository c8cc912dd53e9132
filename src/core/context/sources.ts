/**
 * `@` context sources: every place the chat can attach text from (files, the selection, git, a
 * third party's tickets) registers one here, built-in ones too (through `registerContextSource`
 * of the public API). The picker asks `offers(query)`; a pick is read with `read`, capped to
 * ATTACHMENT_TOKEN_CAP and checked, so a source that throws, hangs or returns garbage costs its own
 * entry, never the picker.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { IdRegistry } from '../id-registry';
import { withDeadline } from '../deadline';
import { errorMessage } from '../logger';
import { ATTACHMENT_TOKEN_CAP, estimateTokens, fitToTokens, type ContextItem } from './context-item';

/** One thing a source offers for what was typed after `@` (a file, a ticket). */
export interface ContextOffer {
  /** What `read` gets back when the user picks it (a path, a ticket id). */
  item: string;
  label: string;
  detail?: string;
}

/** What a source gives the model: a titled text, and why it is shorter than the original, if it is. */
export interface ContextContent {
  label: string;
  text: string;
  note?: string;
}

export interface ContextSource {
  /** Unique: `selection`, `acme.tickets`; stored with each attachment (the chip after a reload). */
  readonly id: string;
  /** The picker's entry ("Current selection"). */
  readonly label: string;
  /** What it attaches ("the code selected in the editor"). */
  readonly description: string;
  /** A codicon name for the picker and the chips (`file`, `git-compare`); default `symbol-misc`. */
  readonly icon?: string;
  /**
   * Items for what the user typed after `@`. Absent: the source is one entry, offered when its
   * label or id matches, and read with no item.
   */
  search?(query: string, signal: AbortSignal): Promise<ContextOffer[]>;
  /** The text for the source, or for one of its offers (`item`). Throw an Error to tell the user why not. */
  read(item: string | undefined, signal: AbortSignal): Promise<ContextContent>;
}

/** A picker entry: a source (no item) or one of its offers. */
export interface ContextChoice {
  source: string;
  item?: string;
  label: string;
  detail: string;
  icon: string;
}

export const DEFAULT_CONTEXT_ICON = 'symbol-misc';
/** Offers one searchable source may add to the picker, and how long its search may take. */
const OFFERS_PER_SOURCE = 50;
const SEARCH_TIMEOUT_MS = 2000;
const READ_TIMEOUT_MS = 30_000;

const OffersSchema = v.pipe(
  v.array(
    v.object({
      item: v.pipe(v.string(), v.maxLength(4096)),
      label: v.pipe(v.string(), v.minLength(1), v.maxLength(300)),
      detail: v.optional(v.pipe(v.string(), v.maxLength(300))),
    }),
  ),
  v.maxLength(10_000),
);
const ContentSchema = v.object({
  label: v.pipe(v.string(), v.minLength(1), v.maxLength(300)),
  text: v.string(),
  note: v.optional(v.pipe(v.string(), v.maxLength(300))),
});

export class ContextSourceRegistry extends IdRegistry<ContextSource> {
  constructor() {
    super('context source');
  }

  /**
   * The picker's entries for `query`: the sources without a search whose label or id matches, then
   * each searchable source's offers (in registration order). A search that fails or takes longer
   * than 2 s is left out and `failed` hears why.
   */
  async offers(
    query: string,
    failed: (source: ContextSource, reason: string) => void,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<ContextChoice[]> {
    const needle = query.toLowerCase();
    const sources = this.all();
    const named = sources
      .filter((source) => !source.search)
      .filter((source) => source.label.toLowerCase().includes(needle) || source.id.includes(needle))
      .map((source) => choice(source, source.label, source.description));
    const searched = await Promise.all(
      sources.map(async (source) => {
        if (!source.search) return [];
        try {
          const found = await withDeadline(source.search(query, signal), SEARCH_TIMEOUT_MS, signal);
          const checked = validate(OffersSchema, found, { what: `${source.label}'s offers` });
          if (!checked.ok) throw new Error(checked.error);
          return checked.value
            .slice(0, OFFERS_PER_SOURCE)
            .map((offer) => ({ ...choice(source, offer.label, offer.detail ?? ''), item: offer.item }));
        } catch (error) {
          failed(source, errorMessage(error));
          return [];
        }
      }),
    );
    return [...named, ...searched.flat()];
  }

  /** Reads a pick as the item the model sees: checked, and cut to the attachment cap with a note. */
  async read(sourceId: string, item: string | undefined, signal: AbortSignal): Promise<ContextItem> {
    const source = this.get(sourceId);
    if (!source) throw new Error(`The context source "${sourceId}" is not available (its extension was removed?).`);
    const content = await withDeadline(source.read(item, signal), READ_TIMEOUT_MS, signal);
    const checked = validate(ContentSchema, content, { what: `${source.label}'s content` });
    if (!checked.ok) throw new Error(checked.error);
    const fitted = await fitToTokens(checked.value.text, ATTACHMENT_TOKEN_CAP, async (text) => estimateTokens(text));
    const notes = [
      checked.value.note,
      fitted.cut ? `cut to ${ATTACHMENT_TOKEN_CAP.toLocaleString('en-US')} tokens` : undefined,
    ].filter(Boolean);
    return {
      kind: source.id,
      label: checked.value.label,
      text: fitted.text,
      tokens: fitted.tokens,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  }

  /** The icon of a source (for a stored chip), or the default when it is gone. */
  iconOf(sourceId: string): string {
    return this.get(sourceId)?.icon ?? DEFAULT_CONTEXT_ICON;
  }
}

function choice(source: ContextSource, label: string, detail: string): ContextChoice {
  return { source: source.id, label, detail, icon: source.icon ?? DEFAULT_CONTEXT_ICON };
}
