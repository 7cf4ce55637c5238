/**
 * Money is an integer number of fen everywhere. Discounts (折) are held as basis points of the
 * price paid: 8.5折 = 8500 bp = pay 85 %.
 */

/** Upper bound of any amount the engine accepts: 10^11 fen (one billion yuan); keeps products exact. */
export const MAX_FEN = 100_000_000_000;

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FEN;
}

/** a / b rounded half up, for non-negative integers (exact: no floating point division). */
export function divRoundHalfUp(a: number, b: number): number {
  const q = Math.floor(a / b);
  const r = a - q * b;
  return r * 2 >= b ? q + 1 : q;
}

/** The 折 figure (0 < d < 10, two decimals at most) as basis points of the price paid. */
export function discountToBasisPoints(discount: number): number {
  return Math.round(discount * 1000);
}

export function isDiscountFigure(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 10) return false;
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-7;
}

/**
 * Amount taken off an order by a 折 discount: `order − round_half_up(order × discount / 10)`.
 * 8.5折 on 999 fen: pay round(849.15) = 849, discount 150.
 */
export function discountOff(orderAmount: number, discount: number): number {
  const bp = discountToBasisPoints(discount);
  // order ≤ 10^11 and bp < 10^4 keep the product below 2^53.
  const pay = divRoundHalfUp(orderAmount * bp, 10_000);
  return orderAmount - pay;
}

/** Applies the cap (0 = none) and never takes more than the order. */
export function capDiscount(raw: number, cap: number, orderAmount: number): number {
  let d = Math.max(0, raw);
  if (cap > 0 && d > cap) d = cap;
  if (d > orderAmount) d = orderAmount;
  return d;
}
