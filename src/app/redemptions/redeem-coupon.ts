import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode, isDomainError } from '../../domain/errors.ts';
import { evaluate, type Order, type Redemption } from '../../domain/redemption.ts';
import { KeyTakenError, UnstorableInputError, type Queries } from '../../store/store.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { inTransactionUnderKey, type KeyedOutcome, type KeyedRequest, type Refusable, type StoredAnswer } from '../requests/idempotency-keys.ts';
import { couponByCode } from './coupon-reads.ts';
import { spendAsReadNow } from './spend-batcher.ts';
import { checkOrder, loadForOrder } from './validate-order.ts';

export interface RedeemInput extends TenantInput {
  code: string;
  order: Order;
}

export interface Redeemed {
  redemption: Redemption;
  /** True when this code had been redeemed for this order already: that first redemption. */
  replayed: boolean;
}

/**
 * Spends a coupon on an order. Redeeming the same code for the same order again returns the
 * first redemption. The coupon moves usable → used by a conditional write, so of many
 * concurrent redemptions exactly one wins; the others see coupon_not_usable with the reason.
 */
export async function redeemCoupon(deps: Deps, input: RedeemInput): Promise<Redeemed> {
  checkOrder(input.order);
  const r = await deps.store.transaction((q) => redeemIn(q, deps, input));
  if (!r.ok) throw r.error;
  return r.value;
}

/**
 * redeemCoupon under an Idempotency-Key, in one transaction with the key's reservation and its
 * stored answer (`answer` turns the redemption into the response the key replays).
 */
export async function redeemCouponUnderKey(deps: Deps, input: RedeemInput, key: KeyedRequest, answer: (r: Redeemed) => StoredAnswer): Promise<KeyedOutcome<Redeemed>> {
  // A malformed order is refused before the transaction: it never waits for the write lock.
  checkOrder(input.order);
  return (await spendAsRead(deps, input, key, answer)) ?? inTransactionUnderKey(deps, key, (q) => redeemIn(q, deps, input), answer);
}

/**
 * The common case in one write: the coupon, read outside any transaction, can be used on the
 * order, so the redemption, its event and the key's answer are written by a spend that holds only
 * while the coupon is exactly as read (on PostgreSQL one statement: one round trip instead of
 * seven). Anything else — an unknown code, a refusal, a repeat, a coupon that moved meanwhile —
 * is null, and goes the transactional way, which decides it under the coupon's lock.
 */
async function spendAsRead(deps: Deps, input: RedeemInput, k: KeyedRequest, answer: (r: Redeemed) => StoredAnswer): Promise<KeyedOutcome<Redeemed> | null> {
  const { store, clock, ids } = deps;
  const loaded = await refusing(() => loadForOrder(store.q, input.tenantId, input.code, (t, c) => couponByCode(store, t, c)));
  if (!loaded.ok || loaded.value.coupon.status !== 'usable') return null;
  const { coupon, template, timezone } = loaded.value;
  const now = clock.now();
  const verdict = evaluate(coupon, template, input.order, now, timezone);
  if (!verdict.valid) return null;
  const redemption = newRedemption(ids.id(), input, coupon, verdict.discountAmount, now);
  const value: Redeemed = { redemption, replayed: false };
  const a = answer(value);
  const spend = { redemption, seenUpdatedAt: coupon.updatedAt, actor: input.actor, event: eventData(redemption), key: { ...k, reservedAt: Date.now(), statusCode: a.statusCode, response: a.body } };
  try {
    // PostgreSQL: one statement with the spends beside it (atomic by itself); SQLite: several, in one transaction.
    const spent = await spendAsReadNow(store, spend);
    return spent === 'spent' ? { kind: 'done', value, answer: a } : null;
  } catch (e) {
    if (e instanceof KeyTakenError) return { kind: 'taken' };
    throw e;
  }
}

const ok = (redemption: Redemption, replayed: boolean): Refusable<Redeemed> => ({ ok: true, value: { redemption, replayed } });

/** A refusal thrown by a read (invalid order, unknown code) as a value; anything else is rethrown. */
async function refusing<T>(read: () => Promise<T>): Promise<Refusable<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    // Input the database could not store failed a statement: the transaction cannot commit.
    if (isDomainError(e) && !(e instanceof UnstorableInputError)) return { ok: false, error: e };
    throw e;
  }
}

/** The redemption inside a transaction (the order already checked). Every refusal is returned before the first write. */
async function redeemIn(q: Queries, { clock, ids }: Deps, input: RedeemInput): Promise<Refusable<Redeemed>> {
  const now = clock.now();
  const loaded = await refusing(() => loadForOrder(q, input.tenantId, input.code));
  if (!loaded.ok) return loaded;
  const { coupon, template, timezone } = loaded.value;
  // A live redemption means a used coupon: only then can this be a repeat of the same order.
  const earlierFor = async () => (await q.redemptions.activeFor(input.tenantId, coupon.id, input.order.id)) ?? null;
  const earlier = coupon.status === 'used' ? await earlierFor() : null;
  if (earlier) return ok(earlier, true);
  const verdict = evaluate(coupon, template, input.order, now, timezone);
  const refused = (reasons = verdict.reasons): Refusable<Redeemed> => ({
    ok: false,
    error: new DomainError(ErrorCode.coupon_not_usable, `coupon ${coupon.code} cannot be used on order ${input.order.id}: ${reasons.map((r) => r.message).join('; ')}`, { reasons }),
  });
  if (!verdict.valid) return refused();
  // The conditional write: when it changes nothing, nothing has been written yet.
  if (!(await q.coupons.markUsed(input.tenantId, coupon.id, now))) {
    // Someone else got there first; if it was the same order, that is this redemption.
    const same = await earlierFor();
    if (same) return ok(same, true);
    const fresh = await refusing(() => loadForOrder(q, input.tenantId, input.code));
    return fresh.ok ? refused(evaluate(fresh.value.coupon, template, input.order, now, timezone).reasons) : fresh;
  }
  return ok(await record(q, ids.id(), input, coupon, verdict.discountAmount, now), false);
}

function newRedemption(id: string, input: RedeemInput, coupon: Coupon, discountAmount: number, now: number): Redemption {
  return {
    tenantId: input.tenantId,
    id,
    couponId: coupon.id,
    code: coupon.code,
    orderId: input.order.id,
    orderAmount: input.order.amount,
    discountAmount,
    status: 'active',
    createdAt: now,
    reversedAt: null,
  };
}

/** What the coupon.redeemed event records. */
const eventData = (r: Redemption): Record<string, unknown> => ({ redemptionId: r.id, orderId: r.orderId, orderAmount: r.orderAmount, discountAmount: r.discountAmount });

/** The redemption and its trail event, once the coupon is marked used. */
async function record(q: Queries, id: string, input: RedeemInput, coupon: Coupon, discountAmount: number, now: number): Promise<Redemption> {
  const redemption = newRedemption(id, input, coupon, discountAmount, now);
  await q.redemptions.insert(redemption);
  await q.events.append([
    {
      tenantId: input.tenantId,
      at: now,
      actor: input.actor,
      action: 'coupon.redeemed',
      subjectType: 'coupon',
      subjectId: coupon.id,
      data: eventData(redemption),
    },
  ]);
  return redemption;
}
