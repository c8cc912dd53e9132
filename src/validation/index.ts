/**
 * The one validation result of the project, over valibot: every boundary (webview messages, the
 * assistant form, remote engine definitions, the worker RPC, the download child, remote servers'
 * replies, API request bodies) checks its input with `validate` and reads the same shape. A
 * boundary that must throw (the RPC, the API server) builds its error from the same issues with
 * `describeIssue`. Imports only valibot, so the core, the extensions, the protocol and the webview
 * all share it (docs/ARCHITECTURE.md).
 */
import * as v from 'valibot';

/** One problem: where (`messages[0].role`, empty for the value itself), what is wrong, what was expected and found. */
export interface ValidationIssue {
  path: string;
  message: string;
  /** valibot's wording of what was expected (`"string"`, `>=0`), when it has one. */
  expected: string | null;
  received: string;
  /** The value was missing (a required key was absent). */
  missing: boolean;
}

/** The result of checking a value: the checked value, or its issues (first first) and the first as a sentence. */
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[]; error: string };

/** The path of an issue as a reader writes it: keys joined with dots, indexes in brackets. */
export function issuePath(issue: Pick<v.BaseIssue<unknown>, 'path'>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    const key: unknown = item.key;
    path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
  }
  return path;
}

/** `path` under `base` (`chat` + `messages[0]` → `chat.messages[0]`; `[0]` joins without a dot). */
export function joinPath(base: string, path: string): string {
  if (!base || !path) return base || path;
  return path.startsWith('[') ? `${base}${path}` : `${base}.${path}`;
}

function toIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  const received = issue.received.length > 60 ? `${issue.received.slice(0, 57)}...` : issue.received;
  const path = issuePath(issue);
  return {
    path,
    message: issue.message,
    expected: issue.expected,
    received,
    missing: issue.received === 'undefined' && path !== '',
  };
}

/**
 * An issue as a sentence: `<what> at messages[0].role: <message>`, `<what>: <message>` for the
 * value itself; without `what`, `messages[0].role: <message>` or the message alone.
 */
export function describeIssue(issue: ValidationIssue, what?: string): string {
  if (!what) return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  return issue.path ? `${what} at ${issue.path}: ${issue.message}` : `${what}: ${issue.message}`;
}

/**
 * Checks `input` against `schema`. `all`: every issue, one per field (a form shows each beside
 * its field); otherwise the first, which is all a message or a file needs to say. `what` starts
 * the error sentence (`Invalid "send" message`).
 */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  options: { all?: boolean; what?: string } = {},
): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, { abortEarly: !options.all, abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const issues = result.issues.map(toIssue);
  return { ok: false, issues, error: describeIssue(issues[0]!, options.what) };
}
