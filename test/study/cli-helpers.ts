/** Shared by the CLI tests that run study/validate end to end. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { vi } from 'vitest';

/** Run a command with console and stderr muted; its exit code. */
export const quietly = async (run: () => Promise<number>): Promise<number> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const cerr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await run();
  } finally {
    log.mockRestore();
    err.mockRestore();
    cerr.mockRestore();
  }
};

/** A CSV file's rows as objects keyed by the header. */
export const readCsv = (file: string) => Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
