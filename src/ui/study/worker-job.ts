/**
 * A job in a worker of its own that the user can cancel: its outcome, or null
 * when it was cancelled or replaced by a newer job meanwhile (its result is then
 * dropped). The worker is terminated when the job ends; a crash of the worker
 * (e.g. out of memory) is the job's error.
 */
export function workerCrash(worker: Worker, what: string): Promise<never> {
  return new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(e.message || `the ${what} stopped unexpectedly`));
    }),
  );
}

export type JobOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function workerJobSlot() {
  let current: Worker | null = null;
  return {
    /** Run `job` on `worker` (created by the caller: bundlers need the `new Worker(new URL(…))` literal). */
    async run<T>(worker: Worker, what: string, job: (worker: Worker) => Promise<T>): Promise<JobOutcome<T> | null> {
      current?.terminate();
      current = worker;
      try {
        const value = await Promise.race([job(worker), workerCrash(worker, what)]);
        return current === worker ? { ok: true, value } : null;
      } catch (error) {
        return current === worker ? { ok: false, error } : null;
      } finally {
        if (current === worker) current = null;
        worker.terminate();
      }
    },
    /** Whether `worker` is the job running now (not cancelled or replaced). */
    isCurrent: (worker: Worker) => current === worker,
    cancel(): void {
      current?.terminate();
      current = null;
    },
  };
}
