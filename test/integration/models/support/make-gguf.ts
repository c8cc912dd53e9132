import { randomBytes } from 'node:crypto';
import { entry, GGUF_TYPE, preamble, tensorInfo, text } from './gguf-writer';

/**
 * A structurally valid GGUF v3 with one random F32 tensor of `floats` values: big enough to span
 * several of the downloader's 5 MiB chunks, which the small real test models do not.
 */
export function makeGguf(floats: number): Buffer {
  const header = Buffer.concat([
    preamble(1, 2),
    entry('general.architecture', GGUF_TYPE.STRING, text('llama')),
    entry('general.name', GGUF_TYPE.STRING, text('synthetic-test-tensor')),
    tensorInfo('weight', [floats], 0, 0),
  ]);
  const padding = Buffer.alloc((32 - (header.length % 32)) % 32);
  return Buffer.concat([header, padding, randomBytes(floats * 4)]);
}
