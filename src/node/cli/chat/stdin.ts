/** Everything on stdin, for a prompt piped in (`git diff | jan-vscode chat "Review this"` or `… | jan-vscode chat`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
