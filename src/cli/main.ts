/**
 * The `habitat` command-line tool: `npm run -s habitat -- <command> [options]`.
 * Every command is a thin layer over `src/core`. Errors are printed as one line
 * (no stack trace) and the process exits non-zero.
 */
import { infoCommand, infoHelp } from './commands/info.js';
import { filterCommand, filterHelp } from './commands/filter.js';
import { demoCommand, demoHelp } from './commands/demo.js';
import { habitatsCommand, habitatsHelp } from './commands/habitats.js';
import { preprocessCommand, preprocessHelp } from './commands/preprocess.js';
import { extractCommand, extractHelp } from './commands/extract.js';
import { complianceCommand, complianceHelp } from './commands/compliance.js';
import { extractCohortCommand, extractCohortHelp } from './commands/extract-cohort.js';
import { mergeCommand, mergeHelp } from './commands/merge.js';
import { checkCommand, checkHelp } from './commands/check.js';
import { studyCommand, studyHelp } from './commands/study.js';
import { predictCommand, predictHelp } from './commands/predict.js';
import { UsageError } from './errors.js';

type Command = { run: (argv: string[]) => Promise<number>; help: string };

const commands: Record<string, Command> = {
  extract: { run: extractCommand, help: extractHelp },
  preprocess: { run: preprocessCommand, help: preprocessHelp },
  info: { run: infoCommand, help: infoHelp },
  filter: { run: filterCommand, help: filterHelp },
  demo: { run: demoCommand, help: demoHelp },
  habitats: { run: habitatsCommand, help: habitatsHelp },
  compliance: { run: complianceCommand, help: complianceHelp },
  check: { run: checkCommand, help: checkHelp },
  study: { run: studyCommand, help: studyHelp },
  predict: { run: predictCommand, help: predictHelp },
  'extract-cohort': { run: extractCohortCommand, help: extractCohortHelp },
  merge: { run: mergeCommand, help: mergeHelp },
  validate: { run: (argv) => import('./commands/validate.js').then((m) => m.validateCommand(argv)), help: 'validate <cohortDir> --model model.json --out <dir> [--clinical clinical.csv] [--harmonise [--batch column]] [--jobs N]   external validation of a saved study on a second labelled cohort' },
};

function usage(): string {
  return ['usage: habitat <command> [options]', '', 'commands:', ...Object.values(commands).map((c) => '  ' + c.help)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) throw new UsageError(`unknown command "${name}"\n${usage()}`);
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`habitat: ${msg}`);
    if (process.env.HABITAT_DEBUG && e instanceof Error) console.error(e.stack);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
