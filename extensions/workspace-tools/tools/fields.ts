/** Argument schemas several tools share, with the few words the model reads about each. */
import * as v from 'valibot';

/** A workspace-relative path (an empty one names the folder itself, which file tools refuse). */
export const pathField = v.string();

/** How many results; more than the limit's largest is taken as the largest (the schema stays short). */
export const maxResultsField = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));

export const resultCount = (asked: number | undefined, fallback: number, largest: number): number =>
  Math.min(asked ?? fallback, largest);

export const lineField = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));

/** `path:line: text`, the shape search results are listed in. */
export const located = (item: { path: string; line: number; text: string }): string =>
  `${item.path}:${item.line}: ${item.text}`;

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
