/**
 * Where the app's own files are, from inside a worker, whatever path the app
 * is served from (http://host/ or http://host/tools/habitat/). The build uses
 * a relative base ('./'): every built script sits in `assets/`, one level
 * below the app's root. The dev server serves from the origin's root.
 */
export function appFileUrl(relative: string): string {
  const base = import.meta.env.BASE_URL;
  if (base.startsWith('/')) return new URL(`${base}${relative}`, self.location.origin).href;
  // Not `new URL(…, import.meta.url)` literally: Vite would bundle every file the pattern could match.
  const here = import.meta.url;
  return new URL(`../${relative}`, here).href;
}
