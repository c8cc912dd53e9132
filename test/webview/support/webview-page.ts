/**
 * The chat webview in real Chromium: the bundle built as esbuild.mjs builds it, served from a
 * 127.0.0.1 server with the same HTML and CSP the extension gives VS Code, and a page script that
 * plays VS Code's part (`acquireVsCodeApi`, theme variables on <html>, the body's theme class).
 */
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findBrowser, INSTALL_HINT } from '../../../scripts/browser.mjs';
import { chatHtml, makeNonce } from '../../../src/vscode/chat/html';
import { THEMES, VSCODE_DEFAULT_STYLES, type ThemeName } from './themes';

/** The checkout's root, found from this file (or from its bundled copy under out/ for the bench). */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'esbuild.mjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('The project root (with esbuild.mjs) was not found.');
    dir = parent;
  }
  return dir;
}

const projectRoot = findProjectRoot();

/** Builds webview/main.ts and the assistant form into `out/<name>/` with the codicon files beside them, like dist/. */
export async function buildWebview(name = 'test-webview', minify = false): Promise<string> {
  const outdir = path.join(projectRoot, 'out', name);
  mkdirSync(path.join(outdir, 'codicons'), { recursive: true });
  await esbuild.build({
    entryPoints: {
      webview: path.join(projectRoot, 'webview/main.ts'),
      'assistant-form': path.join(projectRoot, 'webview/assistant-form/main.ts'),
    },
    outdir,
    bundle: true,
    minify,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    loader: { '.ttf': 'file', '.css': 'text' },
    alias: {
      '@jan/protocol': path.join(projectRoot, 'src/protocol/index.ts'),
      '@jan/validation': path.join(projectRoot, 'src/validation/index.ts'),
    },
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
    logLevel: 'silent',
  });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    copyFileSync(
      path.join(projectRoot, 'node_modules/@vscode/codicons/dist', file),
      path.join(outdir, 'codicons', file),
    );
  }
  return outdir;
}

/**
 * webview/markdown/sanitize.ts alone, as a script that sets `window.JanSanitize`: lets a test give
 * the sanitizer raw HTML the renderer would never produce, so the second wall is tested by itself.
 */
export async function buildSanitizerScript(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [path.join(projectRoot, 'webview/markdown/sanitize.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    globalName: 'JanSanitize',
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface PageServer {
  origin: string;
  /** Every path asked of the server, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Serves the chat page at `/`, the assistant form at `/assistant-form` and the bundle's files; anything else is a 404 (and recorded). */
export async function startPageServer(dir: string): Promise<PageServer> {
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    requests.push(url.pathname);
    if (url.pathname === '/' || url.pathname === '/assistant-form') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(
        chatHtml({
          cspSource: origin,
          nonce: makeNonce(),
          scriptUri: `${origin}/${url.pathname === '/' ? 'webview' : 'assistant-form'}.js`,
          codiconUri: `${origin}/codicons/codicon.css`,
        }),
      );
      return;
    }
    const file = path.join(dir, path.normalize(url.pathname));
    if (!file.startsWith(dir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium, Chrome or Edge (scripts/browser.mjs), headless, with a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findBrowser();
  if (!executablePath) throw new Error(INSTALL_HINT);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'jan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 380, height: 720 },
  });
  // Generous: the machine is shared, and a timeout here means a broken view, not a slow one.
  context.setDefaultTimeout(20_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What VS Code's webview host does before the page runs: `acquireVsCodeApi` (posting to the
 * `__janToHost` binding when the test exposes one, and recording everything in `__janSent`;
 * state kept in sessionStorage so it survives a reload as it survives hide/show) and the theme.
 */
function vscodeShim({
  theme,
  defaultStyles,
}: {
  theme: { bodyClass: string; variables: Record<string, string> };
  defaultStyles: string;
}): void {
  const w = window as unknown as Record<string, unknown>;
  w.__janSent = [];
  w.__janTheme = theme;
  w.acquireVsCodeApi = () => ({
    postMessage(message: unknown) {
      const copy = JSON.parse(JSON.stringify(message));
      (w.__janSent as unknown[]).push(copy);
      const toHost = w.__janToHost as ((message: unknown) => void) | undefined;
      if (toHost) void toHost(copy);
    },
    getState() {
      const saved = sessionStorage.getItem('jan-webview-state');
      return saved === null ? undefined : JSON.parse(saved);
    },
    setState<T>(state: T): T {
      sessionStorage.setItem('jan-webview-state', JSON.stringify(state));
      return state;
    },
  });
  const apply = () => {
    const current = w.__janTheme as { bodyClass: string; variables: Record<string, string> };
    const root = document.documentElement;
    for (const [name, value] of Object.entries(current.variables)) root.style.setProperty(name, value);
    if (document.body) document.body.className = current.bodyClass;
  };
  w.__janApplyTheme = (next: { bodyClass: string; variables: Record<string, string> }) => {
    const root = document.documentElement;
    for (const name of Object.keys((w.__janTheme as { variables: Record<string, string> }).variables))
      root.style.removeProperty(name);
    w.__janTheme = next;
    apply();
  };
  w.__janCspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    (w.__janCspViolations as string[]).push(`${event.violatedDirective} ${event.blockedURI}`);
  });
  // VS Code's own stylesheet goes in first; a constructed sheet, as the page's CSP has no 'unsafe-inline'.
  const injectDefaults = () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(defaultStyles);
    document.adoptedStyleSheets = [sheet, ...document.adoptedStyleSheets];
  };
  document.addEventListener('DOMContentLoaded', () => {
    injectDefaults();
    apply();
  });
  if (document.documentElement) apply();
}

export async function openChatPage(
  context: BrowserContext,
  server: PageServer,
  theme: ThemeName = 'dark',
  beforeLoad?: (page: Page) => Promise<void>,
  pathname = '/',
): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(vscodeShim, { theme: THEMES[theme], defaultStyles: VSCODE_DEFAULT_STYLES });
  await beforeLoad?.(page);
  await page.goto(server.origin + pathname);
  await page.waitForFunction(() =>
    (window as unknown as { __janSent: Array<{ type: string }> }).__janSent.some((message) => message.type === 'ready'),
  );
  return page;
}

export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.evaluate(
    (next) => (window as unknown as { __janApplyTheme: (theme: unknown) => void }).__janApplyTheme(next),
    THEMES[theme],
  );
}

/** Delivers a message to the page the way VS Code's webview host does: a `message` event. */
export async function postToPage(page: Page, message: unknown): Promise<void> {
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
}

/** Resolves once the view has saved `draft` in its state (what survives hide/show). */
export async function draftSaved(page: Page, draft: string): Promise<void> {
  await page.waitForFunction(
    (text) => JSON.parse(sessionStorage.getItem('jan-webview-state') ?? '{}').draft === text,
    draft,
  );
}

export async function sentMessages<T = { type: string }>(page: Page): Promise<T[]> {
  return page.evaluate(() => (window as unknown as { __janSent: T[] }).__janSent);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __janCspViolations: string[] }).__janCspViolations);
}

/** The axe-core rules the chat view must pass in every theme: contrast, and a name for every control. */
const AXE_RULES = [
  'color-contrast',
  'button-name',
  'link-name',
  'label',
  'select-name',
  'aria-command-name',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-progressbar-name',
  'aria-dialog-name',
  'image-alt',
  'svg-img-alt',
  'role-img-alt',
];

export interface AxeViolation {
  id: string;
  help: string;
  targets: string[];
  summary: string;
}

/** Runs axe-core (node_modules/axe-core) in the page as it stands; returns its violations of AXE_RULES. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(readFileSync(path.join(projectRoot, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  }
  return page.evaluate(async (rules) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{
            violations: Array<{
              id: string;
              help: string;
              nodes: Array<{ target: unknown[]; failureSummary?: string }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
      summary: violation.nodes
        .map((node) => node.failureSummary ?? '')
        .join(' | ')
        .slice(0, 2000),
    }));
  }, AXE_RULES);
}
