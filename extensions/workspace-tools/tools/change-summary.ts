/** What a write tool tells the model: the changed lines as a small unified diff, capped. */
import { structuredPatch } from 'diff';

const MAX_DIFF_CHARS = 4000;

export function changeDiff(
  path: string,
  before: string,
  after: string,
): { diff: string; added: number; removed: number } {
  const patch = structuredPatch(path, path, before, after, '', '', { context: 2 });
  let added = 0;
  let removed = 0;
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added += 1;
      else if (line.startsWith('-')) removed += 1;
      lines.push(line);
    }
  }
  let diff = lines.join('\n');
  if (diff.length > MAX_DIFF_CHARS)
    diff = `${diff.slice(0, MAX_DIFF_CHARS)}\n[… diff cut; read the file to see the rest]`;
  return { diff, added, removed };
}
