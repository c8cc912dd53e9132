export * from './types';
export * from './arguments';
export * from './tool-calls';
