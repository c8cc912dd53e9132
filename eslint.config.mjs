// Lint, and the dependency rule of docs/ARCHITECTURE.md enforced as import restrictions
// (test/unit/lint/dependency-rule.test.ts checks each zone on sample code).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** The import rule of an extension's files; `otherExtension` matches a path into another extension. */
function extensionImports(otherExtension) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'vscode', message: 'extensions never import vscode.' }],
        patterns: [
          {
            group: ['**/src/**', '**/webview/**', '@jan/protocol'],
            message:
              'extensions reach the core only through @jan/core, and never the editor, the webview or its protocol.',
          },
          {
            regex: otherExtension,
            message: "An extension does not reach into another extension's files; shared code belongs in @jan/core.",
          },
        ],
      },
    ],
  };
}

const noLlamaImport = {
  selector: "ImportDeclaration[source.value='node-llama-cpp'][importKind!='type']",
  message: 'node-llama-cpp is imported only inside the llama.cpp worker and the download child (child processes).',
};

/** A key from a file may be "__proto__": assigning it calls the prototype setter and loses the field. */
const keysAreData = [
  {
    selector: 'AssignmentExpression > MemberExpression.left[computed=true]',
    message:
      'Keys read from disk are data: use setField / compact from src/core/store/record.ts, never obj[key] = value.',
  },
  {
    selector: "CallExpression[callee.object.name='Object'][callee.property.name='assign']",
    message: 'Object.assign calls setters ("__proto__"): use compact / setField from src/core/store/record.ts.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      '.tools/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core never imports vscode.' },
            { name: 'node-llama-cpp', message: 'Only the llama.cpp worker imports node-llama-cpp.' },
          ],
          patterns: [
            {
              group: [
                '**/vscode/**',
                '**/webview',
                '**/webview/**',
                '**/extensions',
                '**/extensions/**',
                '@jan/protocol',
                '**/protocol',
                '**/protocol/**',
              ],
              message: 'src/core imports nothing from vscode/, webview/, extensions/ or the protocol.',
            },
          ],
        },
      ],
    },
  },
  // A file at the top of an extension reaches a sibling with `../<name>/`, one in a subfolder
  // (rpc/, worker/: still the same extension) with `../../<name>/`.
  { files: ['extensions/**/*.ts'], rules: extensionImports('^\\.\\./[^./][^/]*/|/extensions/') },
  { files: ['extensions/*/*/**/*.ts'], rules: extensionImports('^\\.\\./\\.\\./[^./][^/]*/|/extensions/') },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/node runs without the editor: no vscode.' }],
          patterns: [
            {
              group: ['**/vscode/**', '**/webview', '**/webview/**', '@jan/protocol', '**/protocol', '**/protocol/**'],
              message: 'src/node assembles the core and the extensions; it knows no editor and no view.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/validation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The validation helpers are shared by every layer: valibot only.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'The validation helpers run in the webview too: no Node modules.',
            })),
          ],
          patterns: [
            {
              group: [
                '**/core',
                '**/core/**',
                '@jan/*',
                '**/vscode/**',
                '**/webview/**',
                '**/extensions/**',
                '**/protocol',
                '**/protocol/**',
              ],
              message: 'The validation helpers import only valibot: every layer imports them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The protocol is shared with the webview: no vscode.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'The protocol is shared with the webview: no Node modules.',
            })),
          ],
          patterns: [
            {
              group: [
                '**/core',
                '**/core/**',
                '@jan/core',
                '**/vscode/**',
                '**/webview/**',
                '**/extensions/**',
                'node-llama-cpp',
              ],
              message: 'The protocol imports only valibot and itself: both sides of the webview use it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['extensions/**/*.ts', 'src/**/*.ts'],
    // The two child processes that run node-llama-cpp: inference and model downloads.
    ignores: ['extensions/llamacpp/worker/**', 'extensions/models/downloader/**'],
    rules: {
      'no-restricted-syntax': ['error', noLlamaImport],
    },
  },
  {
    // One validation result shape (src/validation): a boundary checks with `validate`, not valibot's own parsers.
    files: ['extensions/**/*.ts', 'src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/validation/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['safeParse', 'parse', 'parseAsync', 'safeParseAsync'].map((property) => ({
          object: 'v',
          property,
          message: 'Check input with validate() from @jan/validation: one result shape, one issue-path formatter.',
        })),
      ],
    },
  },
  {
    // Code that copies records read from disk: keys are data (src/core/store/record.ts).
    files: [
      'src/core/store/**/*.ts',
      'src/core/data-folder.ts',
      'extensions/conversational/**/*.ts',
      'extensions/assistants/**/*.ts',
      'extensions/models/model-json.ts',
      'extensions/models/model-store.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', noLlamaImport, ...keysAreData] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The webview runs in a browser sandbox.' },
            ...nodeModules.map((name) => ({ name, message: 'The webview never imports Node modules.' })),
          ],
          patterns: [
            {
              group: ['**/src/core/**', '**/src/vscode/**', '**/extensions/**', '@jan/core', 'node-llama-cpp'],
              message: 'The webview imports only the shared protocol (@jan/protocol).',
            },
          ],
        },
      ],
    },
  },
);
