/** Resolves with the call's value, or with undefined as soon as the signal aborts (after `onAbort`). */
export async function raceAbort<T>(
  call: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => void,
): Promise<T | undefined> {
  // Whatever the call ends with after an abort is of no interest, but must not go unhandled.
  call.catch(() => undefined);
  if (!signal) return call;
  if (signal.aborted) {
    onAbort();
    return undefined;
  }
  let listener: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    listener = () => {
      onAbort();
      resolve(undefined);
    };
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([call, aborted]);
  } finally {
    signal.removeEventListener('abort', listener!);
  }
}
