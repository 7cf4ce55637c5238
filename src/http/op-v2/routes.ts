/**
 * The OP v2 partner dialect (seeds 000 and 001, SPEC §4): two signed POST routes under /op/v2
 * answering in the OP envelope. An encapsulated plugin, so its error and not-found handlers
 * answer every failure here (broken JSON, bad sign, bad fields) in that envelope, HTTP 200.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listNamed } from '../../app/catalog/catalog.ts';
import { getPackageDetails, packageCodes } from '../../app/packages/package-details.ts';
import type { Deps } from '../../app/ports.ts';
import { chatWallet } from '../../app/wallets/chat-wallet.ts';
import { cachedChatAnswer } from '../../app/wallets/chat-answer-cache.ts';
import { walletGroupsAsOf } from '../../app/wallets/wallet.ts';
import type { Tenant } from '../../domain/catalog.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { DialectOptions } from '../shared/dialect.ts';
import { failure, foot, sendEnvelope, sendSuccessJson, success } from './envelope.ts';
import { opFailure } from './errors.ts';
import { mergedTickets, namesById, packageView, type CatalogNames } from './mapping.ts';
import { parseMergeRequest, parsePackageRequest, type MergeRequest } from './requests.ts';
import { authenticateOp, tenantNamedBy } from './signature.ts';

export const OP_V2_PREFIX = '/op/v2';

async function catalogNames(deps: Deps, tenantId: string): Promise<CatalogNames> {
  const [productKinds, channels, themes] = await Promise.all([
    listNamed(deps, tenantId, 'product_kinds'),
    listNamed(deps, tenantId, 'channels'),
    listNamed(deps, tenantId, 'themes'),
  ]);
  return { productKinds: namesById(productKinds), channels: namesById(channels), themes: namesById(themes) };
}

/** 2.6: the package with its tickets and rules. */
async function packageData(deps: Deps, tenant: Tenant, packageId: string) {
  const details = await getPackageDetails(deps, tenant.id, packageId);
  const names = await catalogNames(deps, tenant.id);
  return packageView(details.package, { tenantId: tenant.id, now: deps.clock.now(), templates: details.templates, names });
}

/**
 * 2.13: the chat user's coupons in that chat (OwnerType 1), or the chat operator's holdings
 * (OwnerType 2; an operator holds coupons outside any chat until sending one into it).
 */
async function mergeData(deps: Deps, tenant: Tenant, input: MergeRequest) {
  const { chat, owner } = await chatWallet(deps, tenant.id, input.chatId, input.ownerType);
  if (input.operatorId !== null && input.operatorId !== chat.operatorId) {
    const message = `OperatorId: ${input.operatorId} is not the operator of chat ${chat.id}`;
    throw new DomainError(ErrorCode.forbidden, message, { errors: [{ field: 'OperatorId', message: `is not the operator of chat ${chat.id}` }] });
  }
  // Cached while the wallet, the templates and the names are unchanged (chat-answer-cache.ts).
  return cachedChatAnswer(deps, tenant.id, owner, 'op-v2-merge', async () => {
    const { groups, asOf, validUntil } = await walletGroupsAsOf(deps, { tenantId: tenant.id, ...owner, statuses: ['usable', 'frozen'] });
    const newestPackageIds = groups.flatMap((g) => (g.coupons[0]?.packageId ? [g.coupons[0].packageId] : []));
    const [codes, names] = await Promise.all([packageCodes(deps, tenant.id, newestPackageIds), catalogNames(deps, tenant.id)]);
    const data = mergedTickets(groups, { tenantId: tenant.id, ownerType: owner.ownerType, ownerId: owner.ownerId, packageCodes: codes, names });
    // Kept as the JSON bytes it is sent as: a hit costs neither mapping nor serializing.
    return { value: Buffer.from(JSON.stringify(data)), asOf, validUntil };
  });
}

/** Registered by server.ts: `await app.register(opV2Routes, dialect)`. */
export async function opV2Routes(app: FastifyInstance, { deps, config }: DialectOptions): Promise<void> {
  // The tenant behind a request, known once its client is; failures after that carry its foot.
  const tenants = new WeakMap<FastifyRequest, Tenant>();
  const footOf = (request: FastifyRequest) => foot(deps.clock.now(), tenants.get(request) ?? null, config.serverName);
  // A failure before authentication (broken JSON) still shows the foot of the client's tenant.
  const failureFootOf = async (request: FastifyRequest) => foot(deps.clock.now(), tenants.get(request) ?? (await tenantNamedBy(deps, request.url)), config.serverName);
  const authenticate = (request: FastifyRequest) => authenticateOp(deps, request, (caller) => tenants.set(request, caller.tenant));

  await app.register(
    async (op) => {
      // JSON only: a text/plain body would not keep its raw bytes for the sign, so refuse it clearly.
      op.removeContentTypeParser('text/plain');
      op.setErrorHandler(async (error, request, reply) => {
        const f = opFailure(error, request);
        return sendEnvelope(reply, failure(f.code, f.message, await failureFootOf(request)));
      });
      op.setNotFoundHandler(async (request, reply) => {
        const message = `接口不存在: no route ${request.method} ${request.url.split('?')[0]}; OP v2 has POST ${OP_V2_PREFIX}/getTicketPackageById and POST ${OP_V2_PREFIX}/getMergeTicketUsersByChatId`;
        return sendEnvelope(reply, failure(404, message, await failureFootOf(request)));
      });

      op.post('/getTicketPackageById', async (request, reply) => {
        const { tenant } = await authenticate(request);
        const { ticketPackageId } = parsePackageRequest(request.body);
        return sendEnvelope(reply, success(await packageData(deps, tenant, ticketPackageId), footOf(request)));
      });

      op.post('/getMergeTicketUsersByChatId', async (request, reply) => {
        const { tenant } = await authenticate(request);
        const input = parseMergeRequest(request.body);
        return sendSuccessJson(reply, await mergeData(deps, tenant, input), footOf(request));
      });
    },
    { prefix: OP_V2_PREFIX },
  );
}
