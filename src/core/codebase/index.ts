export * from './workspace-search';
export * from './codebase-search';
export * from './codebase-context';
