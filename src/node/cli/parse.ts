import { InvalidArgumentError } from 'commander';

/** A commander parser for a non-negative integer option, with an error that names the option. */
export function integer(name: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0)
      throw new InvalidArgumentError(`--${name} must be a whole number, not "${value}".`);
    return number;
  };
}

/** A repeatable option collected into a list. */
export function listOption(value: string, previous: string[]): string[] {
  return [...previous, value];
}
