import { expect } from 'vitest';

/** The error `promise` rejected with, checked to be a `type`; fails the test when it resolved instead. */
export async function rejection<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    expect.fail(`expected a ${type.name}, but the call succeeded with ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as E;
}
