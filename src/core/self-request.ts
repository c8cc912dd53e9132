import { randomBytes } from 'node:crypto';

/**
 * A request from this process's own remote engines carries this header with this process's id:
 * a remote engine pointed at Jan's own API server (the "Jan desktop" preset's port is ours)
 * must not have the server list models through that same engine again (inference.ts,
 * `listLocalModels`). The id is random per process, so it says nothing to other servers.
 */
export const SELF_REQUEST_HEADER = 'x-jan-process';
export const SELF_REQUEST_ID = randomBytes(12).toString('hex');
