export * from './extension';
export * from './config';
export * from './config-files';
export * from './preferences';
export type { McpServerState, McpToolInfo } from './server-connection';
export { DEFAULT_MAX_MESSAGE_BYTES } from './oversize';
