/**
 * A hostile second process for test/integration/store/link-race.test.ts: it swaps a thread
 * folder for a symbolic link to a folder outside `.jan` and back, as fast as it can, until told
 * to stop. Each step is one rename, so at any instant the name is the real folder, the link, or
 * briefly missing (a folder the store creates in that gap is moved aside). Reports `ready` after the first swap and the number of swaps when it stops.
 */
import { renameSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';

const [folder, outside] = process.argv.slice(2) as [string, string];
const hidden = path.join(path.dirname(folder), `.${path.basename(folder)}.real`);
const link = path.join(path.dirname(folder), `.${path.basename(folder)}.link`);
symlinkSync(outside, link, 'dir');

let stop = false;
process.on('message', () => (stop = true));

let strays = 0;
/** Renames `from` to `folder`; a folder the store made meanwhile in the gap (it recreates a missing one) is moved aside. */
function into(from: string): void {
  for (;;) {
    try {
      return renameSync(from, folder);
    } catch (error) {
      if (!['ENOTEMPTY', 'EEXIST', 'EISDIR', 'ENOTDIR'].includes((error as { code?: string }).code ?? '')) throw error;
      renameSync(folder, `${hidden}.stray-${strays++}`);
    }
  }
}

function swapOnce(): void {
  renameSync(folder, hidden);
  into(link);
  renameSync(folder, link);
  into(hidden);
}

let swaps = 0;
function loop(): void {
  // A burst, then one turn of the event loop so the stop message can arrive.
  for (let i = 0; i < 200 && !stop; i++, swaps++) swapOnce();
  if (swaps === 200) process.send!({ kind: 'ready' });
  if (stop) process.send!({ kind: 'stopped', swaps }, () => process.disconnect());
  else setImmediate(loop);
}
loop();
