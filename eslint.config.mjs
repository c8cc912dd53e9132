// Lint, and the dependency rule of DESIGN.md §1 enforced as import restrictions.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.tools/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core never imports vscode (DESIGN.md §1).' },
                { name: 'node-llama-cpp', message: 'Only the llama.cpp worker imports node-llama-cpp.' }],
        patterns: [{ group: ['**/vscode/**', '**/webview/**', '**/extensions/**', '@jan/protocol'],
                     message: 'src/core imports nothing from vscode/, webview/, extensions/ or the protocol.' }],
      }],
    },
  },
  {
    files: ['extensions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'extensions never import vscode (DESIGN.md §1).' }],
        patterns: [{ group: ['**/src/core/**', '**/src/vscode/**', '**/webview/**'],
                     message: 'extensions reach the core only through @jan/core.' }],
      }],
    },
  },
  {
    files: ['extensions/**/*.ts', 'src/**/*.ts'],
    ignores: ['extensions/llamacpp/worker/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='node-llama-cpp'][importKind!='type']",
        message: 'node-llama-cpp is imported only inside the llama.cpp worker entry (DESIGN.md §1).',
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser sandbox.' }, ...nodeModules.map((name) => ({ name, message: 'The webview never imports Node modules.' }))],
        patterns: [{ group: ['**/src/core/**', '**/src/vscode/**', '**/extensions/**', '@jan/core', 'node-llama-cpp'],
                     message: 'The webview imports only the shared protocol (@jan/protocol).' }],
      }],
    },
  },
);
