/**
 * The ceiling (1.0): Fastify answering the benchmarked route shapes with no store behind it.
 * It pays what any server of ours pays before touching data — the same JSON body parser (raw
 * bytes kept), the same compiled TypeBox validation, the same response schemas and mapping
 * functions, the Server-Timing hook — and nothing else: no auth lookup, no idempotency, no SQL.
 * Run as its own process (`node bench/reference-server.ts`, PORT env), like the real server.
 *
 * Read-only dialect answers (OP v2, wallet) are replayed from BENCH_CANNED, a JSON file of the
 * real server's bodies for the same requests, so both sides send responses of the same size.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id } from '../src/app/schemas/fields.ts';
import type { Coupon } from '../src/domain/coupon.ts';
import { couponOut, evaluationOut, redemptionOut } from '../src/http/native/mapping.ts';
import { RedeemBody, SHARED_SCHEMAS } from '../src/http/native/schemas.ts';
import { ClaimBody } from '../src/http/native/routes/templates.ts';
import { registerJsonBody } from '../src/http/shared/raw-body.ts';
import { validatorCompiler } from '../src/http/shared/validation.ts';

const TZ = 'Asia/Shanghai';
const YEAR_MS = 365 * 86_400_000;

interface Canned {
  opv2?: string;
  wallet?: string;
}

function loadCanned(): Canned {
  const file = process.env.BENCH_CANNED;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as Canned) : {};
}

/** A coupon as a claim creates it: fresh id and code, so serialisation work matches a real claim. */
function aCoupon(templateId: string, userId: string, chatId: string | null, now: number): Coupon {
  const id = randomUUID().replaceAll('-', '');
  return {
    tenantId: 'reference',
    id,
    code: id.slice(0, 12),
    templateId,
    ownerType: 'user',
    ownerId: userId,
    senderId: null,
    chatId,
    packageId: null,
    status: 'usable',
    validFrom: now,
    validTo: now + YEAR_MS,
    issuedAt: now,
    updatedAt: now,
  } as Coupon;
}

export async function buildReferenceServer(canned: Canned) {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  registerJsonBody(app);
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.post('/v1/templates/:templateId/claims', { schema: { params: Type.Object({ templateId: Id }), body: ClaimBody, response: { 201: Type.Ref('Coupon') } } }, async (request, reply) => {
    const now = Date.now();
    const c = aCoupon(request.params.templateId, request.body.userId, request.body.chatId ?? null, now);
    return reply.code(201).send(couponOut(c, TZ, now));
  });

  app.post('/v1/redemptions/validate', { schema: { body: RedeemBody, response: { 200: Type.Ref('Evaluation') } } }, async (request) => {
    const c = aCoupon('reference', 'reference-user', null, Date.now());
    return evaluationOut({ valid: true, discountAmount: 100, reasons: [], coupon: { ...c, code: request.body.code } });
  });

  app.post('/v1/redemptions', { schema: { body: RedeemBody, response: { 201: Type.Ref('Redemption') } } }, async (request, reply) => {
    const now = Date.now();
    const { code, order } = request.body;
    const r = { tenantId: 'reference', id: randomUUID().replaceAll('-', ''), couponId: randomUUID().replaceAll('-', ''), code, orderId: order.id, orderAmount: order.amount, discountAmount: 100, status: 'active' as const, createdAt: now, reversedAt: null };
    return reply.code(201).send(redemptionOut(r, TZ));
  });

  const OpBody = Type.Object({ OwnerType: Type.Integer({ minimum: 1, maximum: 2 }), ChatId: Type.String({ minLength: 1, maxLength: 64 }), OperatorId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])) });
  app.post('/op/v2/getMergeTicketUsersByChatId', { schema: { body: OpBody } }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').send(canned.opv2 ?? '{"code":200,"message":"成功","data":{"canUse":[],"freeze":[]},"page":null,"foot":null}');
  });

  app.get('/v1/users/:userId/coupons', { schema: { params: Type.Object({ userId: Id }) } }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').send(canned.wallet ?? '{"data":[]}');
  });
  return app;
}

if (import.meta.main) {
  const app = await buildReferenceServer(loadCanned());
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
}
