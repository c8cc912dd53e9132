// Import aliases shared by esbuild.mjs, test bundling and benchmarks (tsconfig `paths` mirror them),
// and the packages the extension's Node bundles leave to node_modules.
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

/**
 * Runtime dependencies the Node bundles do not inline (shipped in the .vsix's node_modules):
 * node-llama-cpp, and the API server's, the archive's, the CLI's and the MCP client's libraries,
 * loaded when the server, an import or the first MCP server first runs.
 */
export const runtimePackages = [
  'node-llama-cpp',
  'fastify',
  '@fastify/cors',
  'tar',
  'commander',
  '@modelcontextprotocol/sdk',
];
