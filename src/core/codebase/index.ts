export * from './workspace-search';
