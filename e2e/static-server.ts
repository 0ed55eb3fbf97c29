/**
 * A plain static file server, as a hospital intranet would have one: files of
 * a folder under a path prefix (e.g. /tools/habitat/), a Content-Type from the
 * file's extension and nothing else — no COOP/COEP, no CSP header, no SPA
 * fallback (options add them, to test check-deploy and to measure). Records every path it was asked for and every 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The types python3 -m http.server (mimetypes) and a stock nginx give these extensions. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** The app's URL, ending in the prefix. */
  url: string;
  requested: string[];
  notFound: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Content-Type by extension, replacing the stock ones (a misconfigured server). */
  types?: Record<string, string>;
  /** Answer a missing file with index.html, as single-page-app set-ups do. */
  indexFallback?: boolean;
  /** Add COOP/COEP (cross-origin isolation), only to measure what isolation changes. */
  isolated?: boolean;
}

export async function serveStatic(root: string, prefix: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const types = { ...TYPES, ...options.types };
  const requested: string[] = [];
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(pathname);
    if (pathname === prefix.replace(/\/$/, '')) {
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    let file = pathname.startsWith(prefix) ? path.join(root, pathname.slice(prefix.length)) : '';
    if (file && !path.relative(root, file).startsWith('..')) {
      try {
        if (options.indexFallback && !existsSync(file)) file = root;
        if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
        const size = statSync(file).size;
        const isolation = options.isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
        res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': size, ...isolation });
        createReadStream(file).pipe(res);
        return;
      } catch {
        // Falls through to 404.
      }
    }
    notFound.push(pathname);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requested,
    notFound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
