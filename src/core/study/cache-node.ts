/**
 * File cache of per-patient study results (Node): one file per key under a
 * folder, written with v8's structured serialisation (typed arrays kept as
 * such), atomically (write to a temporary name, then rename), so an
 * interrupted run leaves no half-written entry and resumes where it stopped.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { StudyCache } from './pipeline.js';

export function fileStudyCache(dir: string): StudyCache {
  const file = (key: string) => path.join(dir, key.replace(/[^A-Za-z0-9._-]+/g, '_') + '.bin');
  return {
    async get(key) {
      try {
        return deserialize(await readFile(file(key)));
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      await mkdir(dir, { recursive: true });
      const f = file(key);
      const tmp = `${f}.${process.pid}.tmp`;
      await writeFile(tmp, serialize(value));
      await rename(tmp, f);
    },
  };
}
