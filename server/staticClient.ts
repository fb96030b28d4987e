import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.ts';

/** Where `npm run build:client` writes the browser client. */
export const CLIENT_DIST = fileURLToPath(new URL('../client/dist', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The express-like surface used here (express itself, or uwebsockets-express). */
interface App {
  use(handler: (req: Req, res: Res, next: () => void) => void): unknown;
}
interface Req {
  readonly method: string;
  readonly path?: string;
  readonly url: string;
}
interface Res {
  status(code: number): Res;
  set(name: string, value: string): Res;
  send(body: Buffer | string): unknown;
}

/**
 * The file under `root` a request path names (`/` is `index.html`), or undefined when the path is outside
 * `root` or malformed.
 */
export function clientFile(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + normalize(path));
  return file.startsWith(base + sep) ? file : undefined;
}

/**
 * Serve the built browser client from `root` at `/` (GET and HEAD of files that exist; anything else falls
 * through to the next handler). Does nothing, and says so in the log, when the client has not been built.
 */
export function serveClient(app: App, logger: Logger, root = CLIENT_DIST): boolean {
  if (!existsSync(join(root, 'index.html'))) {
    logger.info({ dir: root }, 'client: not built, so nothing is served at /; run `npm run build:client` to play in a browser');
    return false;
  }
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = clientFile(root, req.path ?? req.url);
    if (!file) return next();
    stat(file)
      .then(async (s) => {
        if (!s.isFile()) return next();
        const body = await readFile(file);
        res.status(200)
          .set('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream')
          .set('Cache-Control', file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.send(req.method === 'HEAD' ? '' : body);
      })
      .catch(() => next());
  });
  logger.info({ dir: root }, 'client: served at /');
  return true;
}
