/**
 * Serves the operator console at /console: one HTML shell for every console path (the browser
 * routes), the app's modules under /console/app/ and third-party modules under /console/vendor/.
 * The console is a client of the native API like any other: it holds no server-side state.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appAsset, vendorAsset, type Asset } from './assets.ts';
import { CONTENT_SECURITY_POLICY, SHELL } from './shell.ts';

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string): FastifyReply {
  reply.header('etag', asset.etag).header('cache-control', cacheControl).header('vary', 'accept-encoding').header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  reply.type(asset.type);
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

function notFound(reply: FastifyReply, what: string): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send(`no console file ${what}`);
}

const shell = (request: FastifyRequest, reply: FastifyReply) => {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('referrer-policy', 'no-referrer');
  return send(request, reply, SHELL, 'no-cache');
};

/** Fastify plugin: register with `app.register(consolePlugin)`. */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  const hide = { schema: { hide: true } };
  app.get('/console', hide, shell);
  app.get<{ Params: { '*': string } }>('/console/app/*', hide, async (request, reply) => {
    const asset = await appAsset(request.params['*']);
    // Revalidated on every load (ETag), so a deploy is seen at once without hashed file names.
    return asset ? send(request, reply, asset, 'no-cache') : notFound(reply, request.url);
  });
  app.get<{ Params: { name: string } }>('/console/vendor/:name', hide, async (request, reply) => {
    const asset = await vendorAsset(request.params.name);
    return asset ? send(request, reply, asset, 'public, max-age=3600') : notFound(reply, request.url);
  });
  app.get('/console/*', hide, shell);
}
