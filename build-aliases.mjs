// Import aliases shared by esbuild.mjs, test bundling and benchmarks (tsconfig `paths` mirror them).
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export const aliases = {
  '@jan/core': `${root}src/core/index.ts`,
  '@jan/protocol': `${root}src/protocol/index.ts`,
  '@jan/validation': `${root}src/validation/index.ts`,
};
