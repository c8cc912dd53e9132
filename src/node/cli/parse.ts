import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number of at least `min`, with an error that names the option. */
export function integer(name: string, min = 0): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min)
      throw new InvalidArgumentError(
        `--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}".`,
      );
    return number;
  };
}

/** A commander parser for a number from `min` to `max`. */
export function decimal(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max)
      throw new InvalidArgumentError(`--${name} must be a number from ${min} to ${max}, not "${value}".`);
    return number;
  };
}

/** A repeatable option collected into a list. */
export function listOption(value: string, previous: string[]): string[] {
  return [...previous, value];
}
