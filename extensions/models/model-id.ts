import * as path from 'node:path';
import { nameCandidates, portableName, windowsNameProblem } from '@jan/core';

/**
 * A model id is also its folder name, so it must be one safe path segment: no separators, no
 * `..`, nothing a file system mangles, and a name every platform can hold (the one folder-name
 * rule, src/core/store/folder-names.ts). Jan's own ids (`llama3.2-1b-instruct`) fit this.
 */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidModelId(id: string): boolean {
  return MODEL_ID.test(id) && !id.includes('..') && windowsNameProblem(id) === undefined;
}

function stem(fileName: string): string {
  return path.basename(fileName).replace(/\.gguf$/i, '');
}

/** `Llama-3.2-1B-Instruct-Q4_K_M.gguf` → `llama-3.2-1b-instruct-q4_k_m`; `CON.gguf` → `con_` (a folder Windows can hold). */
export function modelIdFromFileName(fileName: string): string {
  const id = stem(fileName)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 100);
  return id ? portableName(id) : 'model';
}

/** `Llama-3.2-1B-Instruct-Q4_K_M.gguf` → `Llama 3.2 1B Instruct Q4_K_M`. */
export function modelNameFromFileName(fileName: string): string {
  const name = stem(fileName).replace(/-+/g, ' ').replace(/\s+/g, ' ').trim();
  return name || 'Model';
}

/** `base`, then `base-2`, `base-3`, …, each a valid model id. */
export function* idCandidates(base: string): Generator<string> {
  for (const candidate of nameCandidates(base, 128)) if (isValidModelId(candidate)) yield candidate;
}
