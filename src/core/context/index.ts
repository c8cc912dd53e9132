export * from './context-item';
export * from './context-files';
export * from './fuzzy';
export * from './sources';
