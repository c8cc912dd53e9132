/** Argument schemas several tools share, with the few words the model reads about each. */
import * as v from 'valibot';

export const pathField = (what = 'Workspace-relative path') => v.pipe(v.string(), v.minLength(1), v.description(what));

export const maxResultsField = (largest: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(largest)));

export const lineField = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));

/** `path:line: text`, the shape search results are listed in. */
export const located = (item: { path: string; line: number; text: string }): string =>
  `${item.path}:${item.line}: ${item.text}`;

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
