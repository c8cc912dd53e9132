import { ensureBrowser } from '../../scripts/browser.mjs';

/**
 * vitest globalSetup: finds (or on Debian installs) the browser for the webview tests once, before
 * any file runs, so an install never races a hook timeout. A machine with no browser and no apt
 * does not stop the other tests: each webview file then fails with the line naming what to install.
 */
export default function setup(): void {
  try {
    ensureBrowser();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  }
}
