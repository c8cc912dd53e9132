export { exportThread } from './thread-export';
export type { ThreadExport, ThreadExportFormat, ThreadExportSource } from './thread-export';
export { exportJanArchive, importJanArchive, importJanData } from './archive';
export { importJanDataFolder } from './jan-data-import';
export type { ImportReport, ImportedItem } from './jan-data-import';
export { threadToMarkdown } from './thread-markdown';
