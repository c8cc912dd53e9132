export * from './tool';
export * from './tool-registry';
