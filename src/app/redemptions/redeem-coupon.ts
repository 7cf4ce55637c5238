import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode, isDomainError } from '../../domain/errors.ts';
import { evaluate, type Order, type Redemption } from '../../domain/redemption.ts';
import type { Queries } from '../../store/store.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { inTransactionUnderKey, type KeyedOutcome, type KeyedRequest, type Refusable, type StoredAnswer } from '../requests/idempotency-keys.ts';
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
  return inTransactionUnderKey(deps, key, (q) => redeemIn(q, deps, input), answer);
}

const ok = (redemption: Redemption, replayed: boolean): Refusable<Redeemed> => ({ ok: true, value: { redemption, replayed } });

/** A refusal thrown by a read (invalid order, unknown code) as a value; anything else is rethrown. */
async function refusing<T>(read: () => Promise<T>): Promise<Refusable<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    if (isDomainError(e)) return { ok: false, error: e };
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

/** The redemption and its trail event, once the coupon is marked used. */
async function record(q: Queries, id: string, input: RedeemInput, coupon: Coupon, discountAmount: number, now: number): Promise<Redemption> {
  const redemption: Redemption = {
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
  await q.redemptions.insert(redemption);
  await q.events.append([
    {
      tenantId: input.tenantId,
      at: now,
      actor: input.actor,
      action: 'coupon.redeemed',
      subjectType: 'coupon',
      subjectId: coupon.id,
      data: { redemptionId: redemption.id, orderId: input.order.id, orderAmount: input.order.amount, discountAmount: redemption.discountAmount },
    },
  ]);
  return redemption;
}
