/**
 * `habitat compliance <standard> ...`: checks against the IBSI reference values. One entry per
 * standard; the first argument picks it.
 */
import { UsageError } from '../errors.js';
import { complianceIbsi1, complianceIbsi1Help } from './compliance-ibsi1.js';
import { complianceIbsi2, complianceIbsi2Help } from './compliance-ibsi2.js';

type Sub = { run: (argv: string[]) => Promise<number>; help: string };

const standards: Record<string, Sub> = {
  ibsi1: { run: complianceIbsi1, help: complianceIbsi1Help },
  ibsi2: { run: complianceIbsi2, help: complianceIbsi2Help },
};

export async function complianceCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name ? standards[name] : undefined;
  if (!sub) {
    const list = Object.values(standards).map((s) => '  ' + s.help).join('\n');
    throw new UsageError(`usage: habitat compliance <standard> [options]\n${list}`);
  }
  return sub.run(rest);
}
