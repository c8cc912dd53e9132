/**
 * Files a thread's messages refer to outside the thread (Jan's `attachments`, content parts that
 * point at a file or an image by path or URL). An export copies the thread, not those files,
 * and must say which ones it left behind.
 */
export function externalReferences(rawMessages: readonly unknown[]): string[] {
  const found = new Set<string>();
  for (const message of rawMessages) {
    if (!isRecord(message)) continue;
    for (const attachment of Array.isArray(message.attachments) ? message.attachments : []) {
      const name = isRecord(attachment) ? (attachment.file_id ?? attachment.path ?? attachment.name) : undefined;
      if (typeof name === 'string') found.add(name);
    }
    for (const part of Array.isArray(message.content) ? message.content : []) {
      if (!isRecord(part) || part.type === 'text') continue;
      const reference = referenceOf(part);
      if (reference) found.add(reference);
    }
  }
  return [...found];
}

function referenceOf(part: Record<string, unknown>): string | undefined {
  for (const key of ['image_url', 'file', 'file_url', 'path']) {
    const value = part[key];
    if (typeof value === 'string') return value.startsWith('data:') ? undefined : value;
    if (isRecord(value)) {
      const inner = value.url ?? value.path ?? value.file_id ?? value.filename;
      // A data: URL is inside the message itself, so the export has it.
      if (typeof inner === 'string') return inner.startsWith('data:') ? undefined : inner;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
