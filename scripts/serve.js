#!/usr/bin/env node
// A tiny static file server for dist/ (no dependencies), used by `npm start`,
// the browser tests and the browser benchmark. Bound to 127.0.0.1 only.
//
//   node scripts/serve.js [DIR] [--port N]     (port 0 = any free port)
//
// In-process: `const { url, close } = await serve({ root, port })`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
};

/**
 * Maps a request path to a file under root, or null when it would leave root.
 * Decoding happens before the check so `%2e%2e%2f` cannot slip past it.
 */
export function resolveInside(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const full = resolve(root, '.' + (path.startsWith('/') ? path : '/' + path));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return full;
}

/**
 * Serves `root` on 127.0.0.1. `headers` are added to every response (the
 * benchmark uses it for cross-origin isolation). Resolves once listening.
 */
export function serve({ root, port = 0, host = '127.0.0.1', headers = {}, quiet = true } = {}) {
  const base = resolve(root ?? '.');
  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    let file = resolveInside(base, pathname);
    if (file === null) return send(403, 'forbidden\n');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return send(404, 'not found\n');
      res.writeHead(200, {
        'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      send(404, 'not found\n');
    } finally {
      if (!quiet) process.stdout.write(`${req.method} ${pathname}\n`);
    }
  });
  // Keep-alive sockets would hold close() open until they time out.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolveListen({
        url: `http://${host}:${addr.port}/`,
        port: addr.port,
        server,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Tries `port`, then the next ones, for `npm start` when 4173 is taken. */
export async function serveOnFreePort(options, tries = 50) {
  const first = options.port ?? 0;
  for (let i = 0; ; i++) {
    try {
      return await serve({ ...options, port: first === 0 ? 0 : first + i });
    } catch (e) {
      if (e.code !== 'EADDRINUSE' || first === 0 || i + 1 >= tries) throw e;
    }
  }
}

// No top-level await, so the module also loads where a test tool compiles it to CommonJS.
async function main() {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  const port = portAt === -1 ? Number(process.env.PORT ?? 0) : Number(args[portAt + 1]);
  const root = args.find((a, i) => !a.startsWith('--') && (portAt === -1 || i !== portAt + 1)) ?? 'dist';
  const { url, close } = await serveOnFreePort({ root, port, quiet: false });
  process.stdout.write(`serving ${resolve(root)} at ${url}\n`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
}
