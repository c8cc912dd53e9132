/**
 * The agent eval's tasks on the fixture repository. Each has a prompt, an automatic check of the
 * copy (and of the final answer, for questions), and a reference solution: `--self-check` and
 * test/integration/eval/ apply it to prove each check passes when the task is done and fails
 * when it is not.
 */
import { evaluate, read, run, testCounts, write } from './repo';

export interface CheckResult {
  pass: boolean;
  /** Why it failed (or what passed), one line. */
  detail: string;
}

export interface AgentTask {
  id: string;
  prompt: string;
  check(repo: string, answer: string): Promise<CheckResult>;
  /** Does the task by hand; returns the answer a correct agent would give. */
  solve(repo: string): Promise<string>;
}

const pass = (detail = 'ok'): CheckResult => ({ pass: true, detail });
const fail = (detail: string): CheckResult => ({ pass: false, detail });

/** All conditions, the first failing one reported. */
function all(...conditions: Array<[boolean, string]>): CheckResult {
  const failed = conditions.find(([ok]) => !ok);
  return failed ? fail(failed[1]) : pass();
}

const replaceIn = (repo: string, file: string, from: string | RegExp, to: string): void =>
  write(repo, file, read(repo, file).replace(from, to));

const SOURCES = ['src/math.js', 'src/cart.js', 'src/report.js', 'test/math.test.js'];

export const AGENT_TASKS: AgentTask[] = [
  {
    id: 'rename-function',
    prompt:
      'Rename the function computeTotal to calculateTotal everywhere in the project (definition, imports and calls).',
    async check(repo) {
      const leftovers = SOURCES.filter((file) => read(repo, file).includes('computeTotal'));
      const cart = await evaluate<number>(
        repo,
        "import { Cart } from './src/cart.js'; const c = new Cart(); c.add('a', 100, 2); console.log(JSON.stringify(c.total()));",
      );
      return all(
        [leftovers.length === 0, `computeTotal is still in ${leftovers.join(', ')}`],
        [
          /export function calculateTotal\b/.test(read(repo, 'src/math.js')),
          'src/math.js does not define calculateTotal',
        ],
        [cart.value === 200, `the cart no longer works: ${cart.error ?? cart.value}`],
      );
    },
    async solve(repo) {
      for (const file of SOURCES) replaceIn(repo, file, /computeTotal/g, 'calculateTotal');
      return 'Renamed.';
    },
  },
  {
    id: 'fix-failing-test',
    prompt: 'A test in test/math.test.js fails. Find the bug in the source code and fix it (do not change the test).',
    async check(repo) {
      const counts = await testCounts(repo, 'test/math.test.js');
      return all(
        [read(repo, 'test/math.test.js').includes('applyDiscount(200, 10), 180'), 'the test was changed'],
        [counts.code === 0 && counts.pass === 2, `test/math.test.js: ${counts.pass} pass, ${counts.fail} fail`],
      );
    },
    async solve(repo) {
      replaceIn(repo, 'src/math.js', 'return total - percent;', 'return total - (total * percent) / 100;');
      return 'applyDiscount subtracted the percentage as an amount; it now takes that percentage of the total.';
    },
  },
  {
    id: 'add-parameter',
    prompt:
      "Add a second parameter `separator` (default '-') to slugify in src/strings.js and use it instead of the hard-coded '-'. Then make postUrl in src/blog.js pass '_'.",
    async check(repo) {
      const result = await evaluate<string[]>(
        repo,
        "import { slugify } from './src/strings.js'; import { postUrl } from './src/blog.js'; console.log(JSON.stringify([slugify('Hello World'), slugify('Hello World', '_'), postUrl('Big News')]));",
      );
      const [plain, custom, url] = result.value ?? [];
      return all(
        [result.error === undefined, `the modules fail: ${result.error}`],
        [plain === 'hello-world', `slugify('Hello World') gives ${JSON.stringify(plain)}`],
        [custom === 'hello_world', `slugify('Hello World', '_') gives ${JSON.stringify(custom)}`],
        [url === '/blog/big_news', `postUrl('Big News') gives ${JSON.stringify(url)}`],
      );
    },
    async solve(repo) {
      replaceIn(
        repo,
        'src/strings.js',
        'export function slugify(text) {',
        "export function slugify(text, separator = '-') {",
      );
      replaceIn(repo, 'src/strings.js', ".replace(/[^a-z0-9]+/g, '-')", '.replace(/[^a-z0-9]+/g, separator)');
      replaceIn(
        repo,
        'src/strings.js',
        ".replace(/^-|-$/g, '');",
        '.split(separator).filter(Boolean).join(separator);',
      );
      replaceIn(repo, 'src/blog.js', 'slugify(title)', "slugify(title, '_')");
      return 'Done.';
    },
  },
  {
    id: 'find-setting',
    prompt: 'Where is the setting MAX_UPLOAD_MB read? Answer with the file path and the line number.',
    async check(_repo, answer) {
      return all(
        [answer.includes('src/config.js') || answer.includes('config.js'), 'the answer does not name src/config.js'],
        [/\b5\b/.test(answer), 'the answer does not give line 5'],
      );
    },
    async solve() {
      return 'It is read in src/config.js, line 5.';
    },
  },
  {
    id: 'add-test',
    prompt: 'Add a test for the capitalize function to test/strings.test.js, and make sure it passes.',
    async check(repo) {
      const counts = await testCounts(repo, 'test/strings.test.js');
      return all(
        [/capitalize/.test(read(repo, 'test/strings.test.js')), 'test/strings.test.js does not test capitalize'],
        [counts.code === 0 && counts.pass >= 2, `test/strings.test.js: ${counts.pass} pass, ${counts.fail} fail`],
      );
    },
    async solve(repo) {
      replaceIn(
        repo,
        'test/strings.test.js',
        "import { slugify } from '../src/strings.js';",
        "import { capitalize, slugify } from '../src/strings.js';",
      );
      write(
        repo,
        'test/strings.test.js',
        `${read(repo, 'test/strings.test.js')}\ntest('capitalize upper-cases the first letter', () => {\n  assert.equal(capitalize('shoe'), 'Shoe');\n});\n`,
      );
      return 'Added.';
    },
  },
  {
    id: 'create-file',
    prompt: 'Create src/version.js exporting a constant VERSION whose value is the version string from package.json.',
    async check(repo) {
      const result = await evaluate<string>(
        repo,
        "import { VERSION } from './src/version.js'; console.log(JSON.stringify(VERSION));",
      );
      return all([result.value === '1.4.2', `VERSION is ${result.error ?? JSON.stringify(result.value)}`]);
    },
    async solve(repo) {
      write(repo, 'src/version.js', "export const VERSION = '1.4.2';\n");
      return 'Created.';
    },
  },
  {
    id: 'fix-readme',
    prompt: 'README.md states a default port that does not match the code. Correct the README.',
    async check(repo) {
      const readme = read(repo, 'README.md');
      return all(
        [readme.includes('8080'), 'README.md does not say 8080'],
        [!readme.includes('3000'), 'README.md still says 3000'],
      );
    },
    async solve(repo) {
      replaceIn(repo, 'README.md', '3000', '8080');
      return 'The code defaults to 8080; the README now says so.';
    },
  },
  {
    id: 'change-default',
    prompt: "Change the default log level from 'info' to 'warn'.",
    async check(repo) {
      const result = await evaluate<string>(
        repo,
        "import { loadConfig } from './src/config.js'; console.log(JSON.stringify(loadConfig({}).logLevel));",
      );
      return all([result.value === 'warn', `the default log level is ${result.error ?? JSON.stringify(result.value)}`]);
    },
    async solve(repo) {
      replaceIn(repo, 'src/config.js', "env.LOG_LEVEL ?? 'info'", "env.LOG_LEVEL ?? 'warn'");
      return 'Done.';
    },
  },
  {
    id: 'remove-unused',
    prompt: 'The function legacyTotal in src/math.js is not used anywhere. Remove it.',
    async check(repo) {
      const result = await evaluate<string[]>(
        repo,
        "console.log(JSON.stringify(Object.keys(await import('./src/math.js')).sort()));",
      );
      return all(
        [!read(repo, 'src/math.js').includes('legacyTotal'), 'legacyTotal is still in src/math.js'],
        [
          JSON.stringify(result.value) === JSON.stringify(['applyDiscount', 'computeTotal']),
          `src/math.js exports ${result.error ?? JSON.stringify(result.value)}`,
        ],
      );
    },
    async solve(repo) {
      replaceIn(repo, 'src/math.js', /\nexport function legacyTotal[\s\S]*?\n}\n/, '');
      return 'Removed.';
    },
  },
  {
    id: 'count-tests',
    prompt: 'Run the test suite and tell me how many tests pass and how many fail.',
    async check(repo, answer) {
      const counts = await testCounts(repo);
      const numbers: string[] = answer.match(/\d+/g) ?? [];
      return all(
        [numbers.includes(String(counts.pass)), `the answer does not give ${counts.pass} passing`],
        [numbers.includes(String(counts.fail)), `the answer does not give ${counts.fail} failing`],
      );
    },
    async solve(repo) {
      const counts = await testCounts(repo);
      return `${counts.pass} tests pass and ${counts.fail} fails.`;
    },
  },
  {
    id: 'find-callers',
    prompt: 'Which files in src/ call computeTotal (not counting where it is defined)? List them.',
    async check(_repo, answer) {
      return all(
        [answer.includes('cart.js'), 'the answer does not list cart.js'],
        [answer.includes('report.js'), 'the answer does not list report.js'],
        [!/blog\.js|server\.js|config\.js/.test(answer), 'the answer lists a file that does not call it'],
      );
    },
    async solve() {
      return 'src/cart.js and src/report.js.';
    },
  },
  {
    id: 'fix-import',
    prompt: 'Running `node src/report.js` fails with a module-not-found error. Fix it.',
    async check(repo) {
      const result = await run(repo, process.execPath, ['src/report.js']);
      return all([
        result.code === 0 && /revenue: 500 cents/.test(result.output),
        `node src/report.js: ${result.output.trim().slice(0, 160)}`,
      ]);
    },
    async solve(repo) {
      replaceIn(repo, 'src/report.js', "'./maths.js'", "'./math.js'");
      return 'The import named maths.js; the file is math.js.';
    },
  },
];
