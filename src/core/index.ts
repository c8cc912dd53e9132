export * from './types';
export * from './logger';
export * from './events';
export * from './engines';
export * from './extension';
export * from './ids';
export * from './core';
export * from './extension-types';
