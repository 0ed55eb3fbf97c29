/**
 * How the tests run the `habitat` command: the real entry point, as a user runs
 * it (`npx habitat`, package.json "bin": bin/habitat.mjs, which runs the built
 * bundle and rebuilds it first when the sources changed), in a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = [path.join(ROOT, 'bin', 'habitat.mjs')];
const ENV = { ...process.env, HABITAT_DEBUG: '' };

export interface CliResult {
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Run `habitat <args>`, its output read as fast as it comes. */
export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [...ENTRY, ...args], { cwd: options.cwd ?? ROOT, env: ENV, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `runCli` with stdout and stderr as text. */
export function runCliText(args: string[], options: { cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = runCli(args, options);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const READER = path.join(ROOT, 'test', 'cli', 'slow-reader.mjs');

/**
 * Run `habitat <args>` with `stream` connected straight to a slow reader (a
 * child process that waits a second after the first bytes, then reads 4 KiB at
 * a time); the other stream is read as it comes. The connection is a named
 * pipe (64 KiB) opened non-blocking, as a pipe is when the process that
 * started the command shares it (`npx tsx …`, npm): a write that does not fit
 * then waits in the process, and is lost if the process exits before it drains.
 */
export async function runCliSlowReader(args: string[], stream: 'stdout' | 'stderr'): Promise<CliResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hw-slow-reader-'));
  const fifo = path.join(dir, 'pipe');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const file = path.join(dir, 'read.bin');
  const reader = spawn(process.execPath, [READER, file], { stdio: [readEnd, 'ignore', 'inherit'] });
  const cli = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: ENV,
    stdio: ['ignore', stream === 'stdout' ? writeEnd : 'pipe', stream === 'stderr' ? writeEnd : 'pipe'],
  });
  // the CLI holds the only write end now: the reader sees the end of the data when it exits
  closeSync(readEnd);
  closeSync(writeEnd);
  const other: Buffer[] = [];
  (stream === 'stdout' ? cli.stderr : cli.stdout)!.on('data', (b: Buffer) => other.push(b));
  const [[status], [readerStatus]] = await Promise.all([once(cli, 'close'), once(reader, 'close')]);
  if (readerStatus !== 0) throw new Error(`the slow reader failed (exit ${readerStatus})`);
  const read = readFileSync(file);
  const rest = Buffer.concat(other);
  return { status, stdout: stream === 'stdout' ? read : rest, stderr: stream === 'stderr' ? read : rest };
}
