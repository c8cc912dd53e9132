export * from './context';
export * from './postprocess';
export * from './rules';
export * from './cache';
export * from './inline-completion';
export * from './suggestions';
export * from './typing-pause';
export * from './context-chunks';
