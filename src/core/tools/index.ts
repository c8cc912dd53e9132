export * from './tool';
export * from './tool-registry';
export * from './readable-text';
