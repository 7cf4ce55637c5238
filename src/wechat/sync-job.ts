/**
 * One run of a claimed sync job, with no transaction open while WeChat is called. It converges:
 * whatever happened before, it reads the template as it is now and sends what WeChat lacks —
 * card/create when no card is recorded, card/update when the content changed since the last push,
 * card/modifystock for the stock difference. Each success that must not be repeated (a created
 * card, a stock change) is written right after WeChat answered, so a crash or a later failure never
 * makes a retry send it twice.
 */
import { ONE_STATEMENT, type Deps } from '../app/ports.ts';
import { checkCard } from '../app/wechat/card-rules.ts';
import { typeKey, typedPart, type Json, type WechatCard } from '../app/wechat/card.ts';
import { wechatAppFor } from '../app/wechat/sync.ts';
import { cardForSync } from '../app/wechat/tickets.ts';
import type { SyncAttempt, SyncRecord } from '../store/queries/wechat-sync.ts';
import type { CallObserver, WechatClient } from './client.ts';
import { WechatError, isWechatError, permanent } from './errors.ts';

export type JobOutcome = { ok: true; pushedUpdatedAt: number } | { ok: false; error: WechatError };

/** base_info fields card/update does not take: codes and stock are fixed at creation (stock has modifystock). */
const NOT_UPDATABLE = ['sku', 'use_custom_code', 'get_custom_code_mode', 'bind_openid', 'sub_merchant_info', 'need_push_on_view'];

/** The card/update body for a card: its base_info without the fields WeChat fixes at creation. */
export function updateBody(cardId: string, card: WechatCard): Json {
  const base = { ...typedPart(card).base_info };
  for (const key of NOT_UPDATABLE) delete base[key];
  return { card_id: cardId, [typeKey(card.card_type)]: { base_info: base } };
}

const SYSTEM = { type: 'system', id: 'wechat-sync' } as const;

async function push(deps: Deps, client: WechatClient, job: SyncRecord, observe: CallObserver): Promise<JobOutcome> {
  const key = { tenantId: job.tenantId, templateId: job.templateId };
  const found = await cardForSync(deps, job.tenantId, job.templateId);
  if (!found) throw permanent('the template no longer exists');
  const checked = checkCard(found.card, { now: deps.clock.now() });
  if (!checked.card) throw permanent(`WeChat would refuse this card: ${checked.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  const app = await wechatAppFor(deps, job.tenantId, job.appId);
  if (!app) {
    throw permanent(job.appId ? `the wechat credential of app ${job.appId}, where the card lives, is gone: add it again, then retry` : 'the tenant has no wechat credential (app id and app secret): add one, then retry');
  }
  const quantity = Number((typedPart(checked.card).base_info.sku as Json).quantity);
  let cardId = job.cardId;
  let held = job.pushedQuantity;
  if (cardId === null) {
    cardId = await client.createCard(app, checked.card, observe);
    const created = cardId;
    // Writes go through store.transaction, not store.q: on SQLite they then wait for another
    // process's write lock on a timer instead of failing after the short statement busy_timeout
    // (a card WeChat created but the store never recorded would be created again).
    await deps.store.transaction(async (q) => {
      await q.wechat.setCard(key, created, app.appId, quantity, deps.clock.now());
      await q.events.append([{ tenantId: job.tenantId, at: deps.clock.now(), actor: SYSTEM, action: 'template.wechat_card_created', subjectType: 'template', subjectId: job.templateId, data: { cardId: created, appId: app.appId } }]);
    });
    held = quantity;
  } else if (job.pushedUpdatedAt !== found.template.updatedAt) {
    await client.updateCard(app, updateBody(cardId, checked.card), observe);
  }
  if (held !== null && held !== quantity) {
    await client.modifyStock(app, cardId, quantity - held, observe);
    await deps.store.transaction((q) => q.wechat.setPushedQuantity(key, quantity, deps.clock.now()), ONE_STATEMENT);
  }
  return { ok: true, pushedUpdatedAt: found.template.updatedAt };
}

/** Runs a claimed job; every WeChat call it made is recorded, whatever the outcome. */
export async function runSyncJob(deps: Deps, client: WechatClient, job: SyncRecord): Promise<JobOutcome> {
  const calls: SyncAttempt[] = [];
  const observe: CallObserver = (c) => calls.push({ tenantId: job.tenantId, templateId: job.templateId, at: deps.clock.now(), ...c });
  try {
    return await push(deps, client, job, observe);
  } catch (e) {
    const error = isWechatError(e) ? e : new WechatError(`sync: ${(e as Error).message}`, { permanent: false });
    // A failure outside a call (no credential, a card WeChat would refuse, the store) is recorded too.
    if (calls.length === 0 || calls.at(-1)?.ok) calls.push({ tenantId: job.tenantId, templateId: job.templateId, at: deps.clock.now(), action: 'sync', ok: false, durationMs: 0, httpStatus: null, errcode: error.errcode, error: error.message });
    return { ok: false, error };
  } finally {
    await deps.store.transaction((q) => q.wechat.addAttempts(calls), ONE_STATEMENT);
  }
}
