/**
 * The workbench's IndexedDB: per-patient study cache (prepared images, habitat
 * models, features — keyed like the CLI's file cache, under a cohort prefix so
 * two cohorts with the same patient ids never share entries) and the saved
 * state (settings, last finished study), so a reload or a crash loses nothing.
 * Used from the page and from the study runner worker.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StudyCache } from '../src/core/index.js';

interface WorkbenchDB extends DBSchema {
  cache: { key: string; value: unknown };
  state: { key: string; value: unknown };
}

export const DB_NAME = 'habitat-workbench';
const DB_VERSION = 1;
/** Keys of the saved state. */
export const SAVED_STUDY_KEY = 'last-study';
export const SAVED_SETTINGS_KEY = 'settings';
/** Present while a run is in progress: after a reload or a killed tab, the app resumes it from the cache. */
export const RUN_IN_PROGRESS_KEY = 'run-in-progress';

let db: Promise<IDBPDatabase<WorkbenchDB>> | null = null;

export function workbenchDb(): Promise<IDBPDatabase<WorkbenchDB>> {
  db ??= openDB<WorkbenchDB>(DB_NAME, DB_VERSION, {
    upgrade(d) {
      if (!d.objectStoreNames.contains('cache')) d.createObjectStore('cache');
      if (!d.objectStoreNames.contains('state')) d.createObjectStore('state');
    },
  });
  return db;
}

/** Storage full is the one failure a user can act on: say so in one line. */
function storageMessage(e: unknown, what: string): Error {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'QuotaExceededError') return new Error(`${what}: the browser's storage quota is exhausted; free space (e.g. clear the study cache) and run again`);
  return new Error(`${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}

/** A StudyCache in IndexedDB; values (typed arrays included) are stored as structured clones. */
export function indexedDbStudyCache(prefix: string): StudyCache {
  return {
    async get(key) {
      return (await workbenchDb()).get('cache', `${prefix}/${key}`);
    },
    async set(key, value) {
      try {
        await (await workbenchDb()).put('cache', value, `${prefix}/${key}`);
      } catch (e) {
        // A full disk must not stop the study: the result is still computed, just not cached.
        console.warn(storageMessage(e, `study cache ${key}`).message);
      }
    },
  };
}

export async function clearStudyCache(): Promise<void> {
  await (await workbenchDb()).clear('cache');
}

export async function loadState<T>(key: string): Promise<T | undefined> {
  return (await workbenchDb()).get('state', key) as Promise<T | undefined>;
}

export async function saveState(key: string, value: unknown): Promise<void> {
  try {
    await (await workbenchDb()).put('state', value, key);
  } catch (e) {
    throw storageMessage(e, `saving ${key}`);
  }
}
