import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capDiscount, discountOff, divRoundHalfUp, isDiscountFigure, isFen } from '../../src/domain/money.ts';

describe('money', () => {
  it('money › rounds half up exactly, without floating point', () => {
    assert.equal(divRoundHalfUp(5, 10), 1);
    assert.equal(divRoundHalfUp(4, 10), 0);
    assert.equal(divRoundHalfUp(15, 10), 2);
    assert.equal(divRoundHalfUp(25, 10), 3);
    assert.equal(divRoundHalfUp(0, 7), 0);
  });

  it('money › a 折 discount takes order − round_half_up(order × d / 10)', () => {
    // 8.5折 on 999 fen: pay 849.15 → 849, discount 150.
    assert.equal(discountOff(999, 8.5), 150);
    // 8.5折 on 1 fen: pay 0.85 → 1, discount 0.
    assert.equal(discountOff(1, 8.5), 0);
    // 9.5折 on 10 fen: pay 9.5 → 10 (half up), discount 0.
    assert.equal(discountOff(10, 9.5), 0);
    // 8.75折 on 100 fen: pay 87.5 → 88, discount 12.
    assert.equal(discountOff(100, 8.75), 12);
    // 5折 on 3 fen: pay 1.5 → 2, discount 1.
    assert.equal(discountOff(3, 5), 1);
    // 0.1折 on the largest order stays exact.
    assert.equal(discountOff(100_000_000_000, 0.1), 99_000_000_000);
  });

  it('money › the cap limits the discount and 0 means no cap', () => {
    assert.equal(capDiscount(1500, 1000, 5000), 1000);
    assert.equal(capDiscount(1500, 0, 5000), 1500);
  });

  it('money › a discount never exceeds the order', () => {
    assert.equal(capDiscount(1000, 0, 600), 600);
    assert.equal(capDiscount(-5, 0, 600), 0);
  });

  it('money › only non-negative safe integers are fen', () => {
    assert.equal(isFen(0), true);
    assert.equal(isFen(12.5), false);
    assert.equal(isFen(-1), false);
    assert.equal(isFen('100'), false);
    assert.equal(isFen(100_000_000_001), false);
  });

  it('money › 折 figures are above 0, below 10, two decimals at most', () => {
    assert.equal(isDiscountFigure(8.5), true);
    assert.equal(isDiscountFigure(8.75), true);
    assert.equal(isDiscountFigure(8.755), false);
    assert.equal(isDiscountFigure(10), false);
    assert.equal(isDiscountFigure(0), false);
  });
});
