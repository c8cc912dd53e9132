/** `12.3 / 45.6 MB (27%)` for a progress line on stderr. */
export function formatProgress(done: number, total: number): string {
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  const percent = total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : '';
  return `${mb(done)} / ${mb(total)} MB${percent}`;
}
