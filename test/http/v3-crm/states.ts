/**
 * A member holding one coupon in every state the engine knows, made through the real use cases
 * (claim, freeze, close, delete, redeem) in the demo tenant. The clock must stand on 2019-10-20.
 */
import { claimTemplate } from '../../../src/app/claims/claim-template.ts';
import { moveCoupon } from '../../../src/app/coupons/move-coupon.ts';
import { DEMO_TENANT_ID } from '../../../src/app/data/demo-dataset.ts';
import type { Deps } from '../../../src/app/ports.ts';
import { redeemCoupon } from '../../../src/app/redemptions/redeem-coupon.ts';
import type { Coupon } from '../../../src/domain/coupon.ts';
import type { FixedClock } from '../../support/clock.ts';
import { ACTOR, aTemplate } from '../../support/factories.ts';

export type StateName = 'usable' | 'notYetEffective' | 'frozen' | 'used' | 'closed' | 'deleted' | 'expired';

export const STATES_AT = '2019-10-20T02:00:00Z';

/** Claims, then moves, one coupon per state for `userId`; answers them by state. */
export async function couponsInEveryState(deps: Deps, clock: FixedClock, userId: string): Promise<Record<StateName, Coupon>> {
  const tenantId = DEMO_TENANT_ID;
  const open = { stock: null, perUserLimit: null };
  const live = await aTemplate(deps, tenantId, { ...open, name: '状态测试券', rule: { validFrom: '2019-10-01', validTo: '2019-12-31' } });
  const later = await aTemplate(deps, tenantId, { ...open, name: '未生效券', kind: 'free_shipping', rule: { validFrom: '2019-11-01', validTo: '2019-12-31' } });
  const short = await aTemplate(deps, tenantId, { ...open, name: '过期券', kind: 'exchange', rule: { validFrom: '2019-10-01', validTo: '2019-10-19' } });
  const claim = (templateId: string) => claimTemplate(deps, { tenantId, actor: ACTOR, templateId, userId });
  const move = (c: Coupon, m: 'freeze' | 'close' | 'delete') => moveCoupon(deps, { tenantId, actor: ACTOR, couponId: c.id, move: m });

  const now = clock.now();
  clock.set('2019-10-18T02:00:00Z');
  const expired = await claim(short.id);
  clock.set(now);
  const usable = await claim(live.id);
  const notYetEffective = await claim(later.id);
  const frozen = await move(await claim(live.id), 'freeze');
  const closed = await move(await claim(live.id), 'close');
  const deleted = await move(await claim(live.id), 'delete');
  const used = await claim(live.id);
  await redeemCoupon(deps, { tenantId, actor: ACTOR, code: used.code, order: { id: `order-${used.code}`, amount: 5000, productKindIds: [], channelId: null } });
  return { usable, notYetEffective, frozen, used, closed, deleted, expired };
}
