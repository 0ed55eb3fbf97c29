/**
 * The `habitat` command-line tool: `npx habitat <command> [options]` (the
 * built bundle, see bin/habitat.mjs) or `npm run -s habitat:dev -- …` (these
 * sources through tsx). Every command is a thin layer over `src/core`, loaded
 * only when it runs: `habitat --help` loads this file and the help strings.
 * Errors are printed as one line (no stack trace) and the process exits non-zero.
 */
import { UsageError } from './errors.js';
import { HELP, type CommandName } from './help.js';

type Run = (argv: string[]) => Promise<number>;

const commands: Record<CommandName, () => Promise<Run>> = {
  extract: async () => (await import('./commands/extract.js')).extractCommand,
  preprocess: async () => (await import('./commands/preprocess.js')).preprocessCommand,
  info: async () => (await import('./commands/info.js')).infoCommand,
  filter: async () => (await import('./commands/filter.js')).filterCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  habitats: async () => (await import('./commands/habitats.js')).habitatsCommand,
  compliance: async () => (await import('./commands/compliance.js')).complianceCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  study: async () => (await import('./commands/study.js')).studyCommand,
  predict: async () => (await import('./commands/predict.js')).predictCommand,
  'extract-cohort': async () => (await import('./commands/extract-cohort.js')).extractCohortCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
};

function usage(): string {
  return ['usage: habitat <command> [options]', '', 'commands:', ...Object.values(HELP).map((h) => '  ' + h)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command "${name}"\n${usage()}`);
  const run = await commands[name as CommandName]();
  return run(rest);
}

/**
 * The process ends once the command has returned and everything it wrote to
 * stdout and stderr has been handed on (a pipe holds 64 KiB; a slow reader
 * gets the rest before the exit), in every way a command ends. Waiting for
 * the streams, not for the event loop to empty, also ends a command that
 * failed with worker threads still open.
 */
async function finish(code: number): Promise<void> {
  process.exitCode = code;
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
  process.exit(code);
}

// A reader that went away (`habitat extract … | head -1`) ends the process quietly, as SIGPIPE would.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit();
    throw e;
  });
}

main(process.argv.slice(2)).then(finish, (e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`habitat: ${msg.endsWith('\n') ? msg : msg + '\n'}`);
  if (process.env.HABITAT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return finish(e instanceof UsageError ? 2 : 1);
});
