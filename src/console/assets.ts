/**
 * The console's files as the browser gets them. Browser code is erasable TypeScript under app/:
 * it is served as JavaScript by stripping the types (Node's own stripper, the same one that runs
 * our server code), so there is no build step. Each answer is cached with its gzip form and an
 * ETag until the file on disk changes.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
}

export const APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));
const APP_REAL = realpathSync(APP_DIR) + sep;

/** Third-party browser modules by the name the import map gives them (no CDN: all from node_modules). */
export const VENDOR: Record<string, string> = {
  'preact.js': 'preact',
  'preact-hooks.js': 'preact/hooks',
  'htm.js': 'htm',
  'htm-preact.js': 'htm/preact',
  'echarts.js': 'echarts/dist/echarts.esm.min.mjs',
};

/** The bare specifiers browser code imports, mapped to the vendor URLs above. */
export const IMPORT_MAP = {
  imports: {
    preact: '/console/vendor/preact.js',
    'preact/hooks': '/console/vendor/preact-hooks.js',
    htm: '/console/vendor/htm.js',
    'htm/preact': '/console/vendor/htm-preact.js',
    echarts: '/console/vendor/echarts.js',
  },
};

const TYPES: Record<string, string> = {
  '.ts': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const cache = new Map<string, { mtimeMs: number; asset: Asset }>();

export function makeAsset(body: Buffer, type: string): Asset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzip: gzipSync(body), type, etag };
}

async function load(file: string): Promise<Asset | null> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return null;
  }
  if (!info.isFile()) return null;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === info.mtimeMs) return hit.asset;
  const ext = extname(file);
  let body = await readFile(file);
  if (ext === '.ts') body = Buffer.from(stripTypeScriptTypes(body.toString('utf8'), { mode: 'strip' }), 'utf8');
  const asset = makeAsset(body, TYPES[ext] ?? 'application/octet-stream');
  cache.set(file, { mtimeMs: info.mtimeMs, asset });
  return asset;
}

/** A file of app/ by its path under /console/app/; null when absent or outside app/. */
export async function appAsset(path: string): Promise<Asset | null> {
  if (!(extname(path) in TYPES) || path.includes('\0')) return null;
  const file = join(APP_DIR, path);
  if (!file.startsWith(APP_DIR)) return null;
  let real;
  try {
    real = await realpath(file);
  } catch {
    return null;
  }
  if (!real.startsWith(APP_REAL)) return null;
  return load(real);
}

/** A vendor module by its file name in the import map; null for any other name. */
export async function vendorAsset(name: string): Promise<Asset | null> {
  const specifier = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
  if (!specifier) return null;
  return load(fileURLToPath(import.meta.resolve(specifier)));
}
