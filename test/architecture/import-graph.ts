/**
 * The project's import graph, read with TypeScript's own pre-processor (static,
 * type-only, re-export and dynamic imports alike), and the checks that
 * test/architecture/imports.test.ts applies to it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One import: `from` and `to` are paths relative to the repository root, with `/`. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** The source files under `dir` (relative to the repository; tests and declaration files excluded). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** The file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx` in the sources). */
function resolve(from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.mjs`, `${base}/index.ts`];
  return candidates.find((c) => existsSync(path.join(ROOT, c)));
}

/** Every relative import of the source files under `dirs` (tests excluded). */
export function importGraph(dirs: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of dirs.flatMap(sourceFiles)) {
    const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = resolve(file, fileName);
      if (!to) throw new Error(`${file}: cannot resolve the import '${fileName}'`);
      edges.push({ from: file, to });
    }
  }
  return edges;
}

/** The core domain of a file under src/core (its first folder), or undefined for other files and src/core's own files. */
export function coreDomain(file: string): string | undefined {
  const m = /^src\/core\/([^/]+)\//.exec(file);
  return m?.[1];
}

/**
 * Imports from a core domain to a domain not strictly below it in `order`
 * (each domain may import itself and the domains before it), and files in domains
 * the order does not place.
 */
export function upwardEdges(edges: readonly ImportEdge[], order: readonly string[]): string[] {
  const rank = new Map(order.map((d, i) => [d, i]));
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = coreDomain(from);
    const b = coreDomain(to);
    if (a === undefined || b === undefined || a === b) continue;
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined) out.push(`${from} -> ${to}: domain '${ra === undefined ? a : b}' is not in the layer order`);
    else if (rb > ra) out.push(`${from} -> ${to}: ${a} may not import ${b} (above it)`);
  }
  return out;
}

/** The import cycles (strongly connected sets of two or more files, or a file importing itself), each sorted. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const { from, to } of edges) adj.set(from, [...(adj.get(from) ?? []), to]);
  // Tarjan's strongly connected components, iterative (no recursion limit on long chains).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const start of adj.keys()) {
    if (index.has(start)) continue;
    const work: { v: string; i: number }[] = [{ v: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const next = adj.get(top.v) ?? [];
      if (top.i < next.length) {
        const w = next[top.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1 || next.includes(top.v)) cycles.push(scc.sort());
      }
    }
  }
  return cycles;
}

/** Imports from outside src/core into src/core that do not go through one of `entries` (paths relative to the repository). */
export function deepCoreImports(edges: readonly ImportEdge[], entries: readonly string[]): string[] {
  return edges.filter((x) => !x.from.startsWith('src/core/') && x.to.startsWith('src/core/') && !entries.includes(x.to)).map((x) => `${x.from} -> ${x.to}`);
}

/**
 * What a public entry may hold: re-exports only, each by name (`export { a, type B } from './x.js'`),
 * or all of another entry (`export * from './index.js'`); the CLI bundle resolves each name to its
 * module (scripts/cli-bundle.mjs). One line per statement that is not.
 */
export function entryProblems(file: string, entries: readonly string[]): string[] {
  const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  return sf.statements.flatMap((s) => {
    const spec = ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
    if (spec !== undefined && ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.every((e) => !e.propertyName)) return [];
    if (spec !== undefined && ts.isExportDeclaration(s) && !s.exportClause && entries.includes(resolve(file, spec) ?? '')) return [];
    return [`${file}: '${s.getText().split('\n')[0]}' is not a re-export by name (or 'export *' of another entry)`];
  });
}

/** Top-level statements of `file` that do something on import (anything but imports, exports and declarations). */
export function importTimeStatements(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  return sf.statements
    .filter(
      (s) =>
        !(ts.isImportDeclaration(s) && s.importClause) &&
        !ts.isImportEqualsDeclaration(s) &&
        !ts.isExportDeclaration(s) &&
        !ts.isExportAssignment(s) &&
        !ts.isFunctionDeclaration(s) &&
        !ts.isClassDeclaration(s) &&
        !ts.isInterfaceDeclaration(s) &&
        !ts.isTypeAliasDeclaration(s) &&
        !ts.isEnumDeclaration(s) &&
        !ts.isModuleDeclaration(s) &&
        !ts.isVariableStatement(s),
    )
    .map((s) => `${file}:${sf.getLineAndCharacterOfPosition(s.getStart()).line + 1}: ${s.getText().split('\n')[0]}`);
}

/** The names each file under `dirs` takes from `entries` (imports, re-exports and `import('…').T` types): entry → names. */
export function namesTakenFrom(dirs: readonly string[], entries: readonly string[]): Map<string, Set<string>> {
  const taken = new Map(entries.map((e) => [e, new Set<string>()]));
  for (const file of dirs.flatMap(sourceFiles)) {
    const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const entryOf = (spec: ts.Node | undefined) => (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.') ? taken.get(resolve(file, spec.text) ?? '') : undefined);
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n)) {
        const names = entryOf(n.moduleSpecifier);
        const b = n.importClause?.namedBindings;
        if (names && b && ts.isNamedImports(b)) for (const e of b.elements) names.add((e.propertyName ?? e.name).text);
      } else if (ts.isExportDeclaration(n)) {
        const names = entryOf(n.moduleSpecifier);
        if (names && n.exportClause && ts.isNamedExports(n.exportClause)) for (const e of n.exportClause.elements) names.add((e.propertyName ?? e.name).text);
      } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
        const names = entryOf(n.argument.literal);
        if (names && n.qualifier) names.add(ts.isIdentifier(n.qualifier) ? n.qualifier.text : n.qualifier.getText().split('.')[0]!);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return taken;
}

/** The names an entry exports by name (its own `export { … } from` statements; `export *` adds another entry's). */
export function namesExportedBy(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  return sf.statements.flatMap((s) => (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements.map((e) => e.name.text) : []));
}
