import { readFileSync, writeFileSync } from 'node:fs';
import { mergeCohortCsvs } from '../../core/node.js';
import { parseArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';

const usage = `usage: habitat merge <shard1.csv> <shard2.csv> … --out <all.csv>
  Checks that the headers agree and no patient × sequence is in two shards, then
  writes the rows sorted by patient and sequence: byte for byte the CSV that one
  unsharded extract-cohort run writes. Empty shard files are skipped.`;

export async function mergeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.flags.help) {
    console.log(usage);
    return 0;
  }
  const out = stringFlag(args, 'out');
  if (!out || args.positional.length === 0) throw new UsageError(usage);
  const shards = args.positional.map((name) => {
    try {
      return { name, text: readFileSync(name, 'utf8') };
    } catch (e) {
      throw new Error(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  });
  const merged = mergeCohortCsvs(shards);
  if (merged === '') throw new Error(`every input file is empty; nothing to merge`);
  writeFileSync(out, merged);
  console.log(`merge: wrote ${out}: ${merged.split('\n').length - 2} rows from ${shards.length} files`);
  return 0;
}
