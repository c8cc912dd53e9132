import * as net from 'node:net';

/** How far past a taken port to look for a free one. */
const PORTS_TO_TRY = 20;

/** Whether nothing listens on `host:port` (by binding it for a moment). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first free port after `port`, or undefined when the next ones are all taken. */
export async function nextFreePort(host: string, port: number): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(65535, port + PORTS_TO_TRY); candidate++) {
    if (await isPortFree(host, candidate)) return candidate;
  }
  return undefined;
}

/** The port is taken (Jan desktop may be running on 1337); `nextFree` is one that is not. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly nextFree: number | undefined,
  ) {
    super(
      `Port ${port} on ${host} is already in use (is Jan desktop's server running?).` +
        (nextFree ? ` Port ${nextFree} is free: start on that one instead.` : ' Choose another port.'),
    );
    this.name = 'PortInUseError';
  }
}
