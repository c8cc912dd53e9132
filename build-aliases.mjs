// Import aliases shared by esbuild.mjs, test bundling and benchmarks (tsconfig `paths` mirror them).
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The aliases for a checkout at `projectRoot` (ending with a separator). A bundle that inlines
 * this file (a benchmark) has its own `import.meta.url`, so it passes the root it knows.
 */
export function aliasesAt(projectRoot) {
  return {
    '@jan/core': `${projectRoot}src/core/index.ts`,
    '@jan/protocol': `${projectRoot}src/protocol/index.ts`,
    '@jan/validation': `${projectRoot}src/validation/index.ts`,
  };
}

export const aliases = aliasesAt(root);
