// Command-line options every example takes: `--epochs N` and `--seed N` (the tests run each example
// seeded and short this way). Works in Node and Deno.
import { parseArgs } from 'node:util';

/** The example's `{ epochs, seed }`, each from the command line or else its default. */
export function exampleArgs(defaults) {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, seed: { type: 'string' } } });
  const read = (name) => {
    if (values[name] === undefined) return defaults[name];
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a non-negative integer, got '${values[name]}'`);
    return n;
  };
  return { epochs: read('epochs'), seed: read('seed') };
}
