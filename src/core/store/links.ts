/**
 * Naming the link that made an open leave its root, for the message. The decision itself is taken
 * on what was opened (src/core/store/confined-folder.ts); this walk only says which part of the
 * path is to blame, when the link is still there to be found.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreError } from './errors';
import { isWithin } from './opened-folder';

const quietly = <T>(question: Promise<T>) => question.catch(() => undefined);

/**
 * The refusal naming the first link on the way from `root` to `target` whose real place is not
 * inside the root's real path (or that points nowhere), or undefined when there is none now.
 * `rootRule`: the root itself may be a link only to a place inside its own folder, never to that
 * folder itself (`.jan → .`).
 */
export async function linkEscape(root: string, target: string, rootRule = true): Promise<StoreError | undefined> {
  const realRoot = await quietly(fs.realpath(root));
  if (realRoot === undefined) return undefined;
  if (rootRule && (await quietly(fs.lstat(root)))?.isSymbolicLink()) {
    const realParent = await quietly(fs.realpath(path.dirname(root)));
    if (realParent === undefined || realParent === realRoot || !isWithin(realParent, realRoot))
      return refusal(root, realRoot === realParent ? 'its own folder' : realRoot, 'its folder', path.dirname(root));
  }
  let current = root;
  for (const segment of path.relative(root, target).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    const stat = await quietly(fs.lstat(current));
    if (!stat) return undefined;
    if (!stat.isSymbolicLink()) continue;
    const real = await quietly(fs.realpath(current));
    if (real !== undefined && isWithin(realRoot, real)) continue;
    return refusal(current, real ?? 'a place that does not exist', 'the data folder', root);
  }
  return undefined;
}

/** `folder` is where the link had to stay, `what` names it ("the data folder"). */
function refusal(link: string, where: string, what: string, folder: string): StoreError {
  return new StoreError(
    'NOT_ALLOWED',
    `${link} is a symbolic link to ${where}, outside ${what} ${folder}; Jan does not read or write through it. Remove the link, or move what it points to into ${folder}.`,
    link,
  );
}
