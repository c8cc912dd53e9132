export * from './errors';
export * from './validate';
export * from './record';
export { parseJsonLines } from './json-lines';
export type { JsonLine, JsonLinesFile } from './json-lines';
export type { BatchJsonFileResult, JsonFileResult } from './json-file';
export { createFileAtomic, syncFolder, writeFileAtomic } from './atomic-file';
