import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';

describe('CLI argument parser', () => {
  it('reads positionals, --key value, --key=value and boolean flags in any order', () => {
    expect(parseArgs(['in.nii', '--out', 'o.nii', '--type=log', '--quiet', 'more', '--sigma', '-1'], ['quiet'])).toEqual({
      positional: ['in.nii', 'more'],
      flags: { out: 'o.nii', type: 'log', quiet: true, sigma: '-1' },
    });
  });
  it('takes the argument after an option as its value once, so a value never counts as a positional', () => {
    expect(parseArgs(['--out', 'a', 'b', '--out', 'c'])).toEqual({ positional: ['b'], flags: { out: 'c' } });
  });
  it('refuses an option without its value, at the end or before another option', () => {
    expect(() => parseArgs(['x', '--out'])).toThrow(UsageError);
    expect(() => parseArgs(['x', '--out'])).toThrow(/^option --out needs a value$/);
    expect(() => parseArgs(['--out', '--quiet'], ['quiet'])).toThrow(/^option --out needs a value$/);
  });
});
