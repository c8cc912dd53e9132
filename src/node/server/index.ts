export { startApiServer } from './start';
export type { RunningApiServer, ServedRuntime } from './start';
export { PortInUseError, nextFreePort } from './free-port';
export { generateApiKey } from './auth';
export { DEFAULT_HOST, DEFAULT_PORT } from './options';
export type { ServerOptions } from './options';
