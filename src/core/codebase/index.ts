export * from './workspace-search';
export * from './codebase-search';
