export * from './spec';
export * from './registry';
export * from './settings';
export * from './readers';
