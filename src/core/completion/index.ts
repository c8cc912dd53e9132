export * from './context';
export * from './postprocess';
export * from './cache';
