/**
 * Symbolic links inside the data folder. A workspace is untrusted: a thread folder, a file or the
 * `threads` folder itself can be a link to anywhere, and comparing path text would let a write
 * (or an append, which follows links) land outside. Every part of a path below the root is
 * checked on disk: a link is followed only when its real target is inside the root's real path;
 * a link that leaves, or points nowhere (a write would create its target), is refused.
 */
import { lstatSync, promises as fs, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { StoreError } from './errors';

type Question = { kind: 'lstat' | 'realpath'; path: string };
type Answer = { isSymbolicLink(): boolean } | string | undefined;

const isWithin = (root: string, target: string) =>
  target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

const missing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as { code?: string }).code ?? '');

/**
 * The walk, written once for the async writers and the sync batch reader: it yields each file
 * system question and is resumed with the answer (undefined when the path does not exist).
 */
function* walk(root: string, target: string): Generator<Question, StoreError | undefined, Answer> {
  const rootStat = yield { kind: 'lstat', path: root };
  const realRoot = yield { kind: 'realpath', path: root };
  if (typeof realRoot !== 'string') return undefined;
  // The folder itself may be a link (a repository can ship `.jan` as one), but only to a place beside it.
  if (typeof rootStat === 'object' && rootStat.isSymbolicLink()) {
    const realParent = yield { kind: 'realpath', path: path.dirname(root) };
    if (typeof realParent !== 'string' || !isWithin(realParent, realRoot))
      return refusal(root, realRoot, 'its folder', path.dirname(root));
  }
  let current = root;
  for (const segment of path.relative(root, target).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    const stat = yield { kind: 'lstat', path: current };
    if (typeof stat !== 'object') return undefined;
    if (!stat.isSymbolicLink()) continue;
    const real = yield { kind: 'realpath', path: current };
    if (typeof real === 'string' && isWithin(realRoot, real)) continue;
    return refusal(current, real, 'the data folder', root);
  }
  return undefined;
}

/** `folder` is where the link had to stay, `what` names it ("the data folder"). */
function refusal(link: string, real: Answer, what: string, folder: string): StoreError {
  const where = typeof real === 'string' ? real : 'a place that does not exist';
  return new StoreError(
    'NOT_ALLOWED',
    `${link} is a symbolic link to ${where}, outside ${what} ${folder}; Jan does not read or write through it. Remove the link, or move what it points to into ${folder}.`,
    link,
  );
}

/** The refusal for `target` (inside `root` by its text), or undefined when no link on its way leaves `root`. */
export async function linkEscape(root: string, target: string): Promise<StoreError | undefined> {
  const steps = walk(root, target);
  let step = steps.next(undefined);
  while (!step.done) {
    const { kind, path: asked } = step.value;
    const answer = await (kind === 'lstat' ? fs.lstat(asked) : fs.realpath(asked)).catch((error: unknown) => {
      if (missing(error)) return undefined;
      throw error;
    });
    step = steps.next(answer);
  }
  return step.value;
}

/** linkEscape with synchronous calls, for the batch reader's time slices. */
export function linkEscapeSync(root: string, target: string): StoreError | undefined {
  const steps = walk(root, target);
  let step = steps.next(undefined);
  while (!step.done) {
    const { kind, path: asked } = step.value;
    let answer: Answer;
    try {
      answer = kind === 'lstat' ? lstatSync(asked) : realpathSync(asked);
    } catch (error) {
      if (!missing(error)) throw error;
      answer = undefined;
    }
    step = steps.next(answer);
  }
  return step.value;
}
