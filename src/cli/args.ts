import { UsageError } from './errors.js';

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/**
 * Minimal `--key value` / `--key=value` / `--flag` parser. `booleanFlags` names
 * the flags that take no value.
 */
export function parseArgs(argv: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  const rest = argv.slice();
  for (let a = rest.shift(); a !== undefined; a = rest.shift()) {
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) flags[key] = a.slice(eq + 1);
      else if (booleanFlags.includes(key)) flags[key] = true;
      else {
        const v = rest[0];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`option --${key} needs a value`);
        flags[key] = v;
        rest.shift();
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, key: string): string | undefined {
  const v = args.flags[key];
  if (v === true) throw new UsageError(`option --${key} needs a value`);
  return v;
}
