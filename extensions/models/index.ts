export { JanModelsExtension, type JanModelsOptions } from './models-extension';
export type { DownloadOptions, DownloadRequest } from './download-model';
export type { DownloadProgress } from './download-child';
export type { ImportOptions } from './import-model';
export {
  CATALOG,
  ESTIMATE_CONTEXT,
  estimateMemoryBytes,
  findCatalogEntry,
  recommendedChatModel,
  type CatalogEntry,
  type CatalogRole,
} from './catalog';
export { DownloadCancelled, ModelError, isCancellation, type ModelErrorCode } from './errors';
export { formatBytes } from './format-size';
export { checkDownloadUri } from './download-source';
export { readGgufHeader, type GgufSummary } from './gguf-header';
export { readFreeSpace, type FreeSpaceReader } from './disk-space';
