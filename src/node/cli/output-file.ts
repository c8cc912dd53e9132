import { randomBytes } from 'node:crypto';
import { link, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes an output file (`export`, `threads export --out`) without ever replacing one that exists,
 * unless `force`. The content goes to a temp file beside the target first; it then takes the
 * target's name by a hard link, which fails if the name exists (no check-then-write race), or
 * with `force` by a rename over it. A path that cannot be written gets an error saying why.
 */
export async function writeOutputFile(
  target: string,
  write: (file: string) => Promise<void>,
  force = false,
): Promise<void> {
  const file = path.resolve(target);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await write(temp);
    if (force) await rename(temp, file);
    else await link(temp, file);
  } catch (error) {
    throw new Error(whyNotWritten(file, error as NodeJS.ErrnoException));
  } finally {
    await rm(temp, { force: true });
  }
}

function whyNotWritten(file: string, error: NodeJS.ErrnoException): string {
  const folder = path.dirname(file);
  switch (error.code) {
    case 'EEXIST':
      return `${file} already exists; nothing was written. Choose another name, or add --force to replace it.`;
    case 'ENOENT':
      return `${file} cannot be written: the folder ${folder} does not exist.`;
    case 'ENOTDIR':
      return `${file} cannot be written: a part of ${folder} is a file, not a folder.`;
    case 'EACCES':
    case 'EPERM':
      return `${file} cannot be written: no permission to write in ${folder}.`;
    case 'EROFS':
      return `${file} cannot be written: ${folder} is on a read-only file system.`;
    case 'EISDIR':
      return `${file} is a folder; give a file name.`;
    case 'ENOSPC':
      return `${file} cannot be written: the disk is full.`;
    default:
      return `${file} was not written: ${error.message}`;
  }
}
