/**
 * What other parts of the UI must be asked or told when the displayed cohort
 * or series changes. The viewer's VOI drawing registers here (it asks before
 * unsaved drawings are lost, and puts back saved VOIs when a cohort is
 * opened), so actions.ts need not import the viewer and the viewer may import
 * actions.ts without a cycle.
 */

type Guard = () => boolean;
type CohortHook = () => Promise<void>;

const guards: Guard[] = [];
const cohortHooks: CohortHook[] = [];

/** `guard` returns false to keep what is displayed (e.g. the user refused to discard a drawing). */
export function onBeforeDisplayChange(guard: Guard): void {
  guards.push(guard);
}

/** True when every guard lets the displayed series be replaced. */
export function mayChangeDisplay(): boolean {
  return guards.every((g) => g());
}

/** `hook` runs after a cohort is loaded, before its first patient is shown. */
export function onCohortLoaded(hook: CohortHook): void {
  cohortHooks.push(hook);
}

let lastLoad: Promise<void> = Promise.resolve();

export function cohortLoaded(): Promise<void> {
  lastLoad = Promise.all(cohortHooks.map((h) => h())).then(() => undefined);
  return lastLoad;
}

/** Settles once the hooks of the last cohort load have run. */
export function cohortHooksDone(): Promise<void> {
  return lastLoad;
}
