export * from './version';
export * from './caller';
export * from './errors';
export * from './types';
export * from './registrations';
export * from './jan-api';
