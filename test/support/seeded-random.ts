/**
 * Randomness a failing test can replay: the seed comes from JAN_TEST_SEED or is drawn, and is
 * printed with the test's label so the failure's log says how to run the same case again.
 */
export function seededRandom(label: string): () => number {
  const fromEnv = Number(process.env.JAN_TEST_SEED);
  const seed =
    Number.isInteger(fromEnv) && process.env.JAN_TEST_SEED !== '' ? fromEnv : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`[${label}] seed ${seed} (replay: JAN_TEST_SEED=${seed})\n`);
  // mulberry32: small, fast, and the same sequence for the same seed on every machine.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
