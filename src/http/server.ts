/**
 * Builds the HTTP server: shared plumbing (JSON body with raw bytes, validation, idempotency,
 * errors), the native API with its OpenAPI document and docs, and every partner dialect.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../app/ports.ts';
import type { Config } from '../config.ts';
import { consolePlugin } from '../console/plugin.ts';
import { nativeErrorHandler } from './native/errors.ts';
import { nativeRoutes, registerSchemas } from './native/routes.ts';
import { opV2Routes } from './op-v2/routes.ts';
import { crmOpenApiRoutes } from './crm-openapi/routes.ts';
import { v3CrmRoutes } from './v3-crm/routes.ts';
import type { App } from './native/context.ts';
import type { DialectOptions } from './shared/dialect.ts';
import { ticketAdminRoutes } from './ticket-admin/routes.ts';
import { registerIdempotency } from './shared/idempotency.ts';
import { registerJsonBody } from './shared/raw-body.ts';
import { validatorCompiler } from './shared/validation.ts';

export type ServerConfig = Pick<Config, 'adminKey' | 'logLevel' | 'bodyLimitBytes' | 'serverName' | 'wechatBaseUrl'>;

export interface ServerOptions {
  /**
   * False while the process is still starting (its other HTTP threads not all listening yet):
   * /health answers 503 `starting` until then, so whatever waits for it waits for every thread.
   */
  ready?: () => boolean;
}

export async function buildServer(deps: Deps, config: ServerConfig, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app: App = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    // Partners' clients differ on trailing slashes; `/path/` is the same route as `/path`.
    routerOptions: { ignoreTrailingSlash: true },
    // Per-request lines only when debugging: at load they cost more than the request.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerJsonBody(app);
  app.setErrorHandler(nativeErrorHandler);
  app.setNotFoundHandler((request, reply) => nativeErrorHandler(Object.assign(new Error(`no route ${request.method} ${request.url}`), { statusCode: 404 }), request, reply));
  registerSchemas(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'couponhub native API',
        version: '1.0.0',
        description: 'Coupons (优惠券) from template to redemption. Money is integer fen. Errors are RFC 9457 problem+json with a stable `code`. POSTs that create or spend honour `Idempotency-Key`.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (sk_…)' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  registerIdempotency(app, deps);
  // Server-side time per request, so load tests and browser devtools can tell it from client
  // and network time (route-level onSend hooks, e.g. the idempotency write, run after it).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });

  app.get('/health', async (_request, reply) => {
    if (options.ready && !options.ready()) return reply.code(503).send({ status: 'starting' });
    try {
      await deps.store.q.tenants.get('__health__');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/openapi.json', async () => app.swagger());

  nativeRoutes(app, { deps, adminKey: config.adminKey });
  await app.register(consolePlugin); // the operator console at /console (a client of /v1)

  // Partner dialects: each is an encapsulated plugin with its own error handler and envelope.
  const dialect: DialectOptions = { deps, config };
  // (each dialect adds one line here: await app.register(<dialect>Routes, dialect);)
  await app.register(ticketAdminRoutes, dialect);
  await app.register(opV2Routes, dialect);
  await app.register(crmOpenApiRoutes, dialect);
  await app.register(v3CrmRoutes, dialect);
  return app;
}
