import { mkdir, statfs } from 'node:fs/promises';
import { ModelError } from './errors';
import { formatBytes } from './format-size';

/** Bytes the current user may still write in the file system that holds `folder`. */
export type FreeSpaceReader = (folder: string) => Promise<number>;

export const readFreeSpace: FreeSpaceReader = async (folder) => {
  const stats = await statfs(folder);
  return stats.bavail * stats.bsize;
};

/** Refuses, before anything is written, when `needed` bytes do not fit in `folder`; returns the free space. */
export async function ensureFreeSpace(
  folder: string,
  needed: number,
  reader: FreeSpaceReader,
  what: string,
): Promise<number> {
  await mkdir(folder, { recursive: true });
  const free = await reader(folder);
  if (needed > 0 && free < needed) {
    throw new ModelError(
      'INSUFFICIENT_DISK_SPACE',
      `Not enough disk space for ${what}: it needs ${formatBytes(needed)} but only ${formatBytes(free)} is free in ${folder}.`,
    );
  }
  return free;
}
