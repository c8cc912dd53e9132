import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * node-llama-cpp finds a GPU backend by importing its prebuilt package (`@node-llama-cpp/linux-x64-cuda`,
 * …) from its own node_modules. A backend fetched on demand lives outside it, in the extension's
 * global storage (`<backends>/node_modules/@node-llama-cpp/<name>`), so the worker adds it to the
 * module search: a resolve hook (node:module `register`) that answers those package names with
 * the fetched copies, and leaves every other import to Node.
 */
const RESOLVE_HOOK = `
let packages = {};
export async function initialize(data) { packages = data.packages; }
export async function resolve(specifier, context, next) {
  const url = packages[specifier];
  return url ? { url, shortCircuit: true } : next(specifier, context);
}
`;

const SCOPE = '@node-llama-cpp';

/** The backend packages fetched into `folder`, by name, with the file URL of each one's entry module. */
export function fetchedPackages(folder: string | undefined): Record<string, string> {
  const scope = folder && path.join(folder, 'node_modules', SCOPE);
  if (!scope || !existsSync(scope)) return {};
  const packages: Record<string, string> = {};
  for (const name of readdirSync(scope)) {
    const manifest = path.join(scope, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const { main } = JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown };
    const entry = path.join(scope, name, typeof main === 'string' ? main : 'dist/index.js');
    if (existsSync(entry)) packages[`${SCOPE}/${name}`] = pathToFileURL(entry).href;
  }
  return packages;
}

let registered = false;

/** Makes the fetched packages importable by node-llama-cpp; once per worker, before its first getLlama. */
export function useFetchedPackages(packages: Record<string, string>): void {
  if (registered || Object.keys(packages).length === 0) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`, { data: { packages } });
}
