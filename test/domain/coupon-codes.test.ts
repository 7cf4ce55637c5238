import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODE_SPACE, CodePermutation, isDrawnForm, speck64 } from '../../src/domain/coupon-codes.ts';

const KEY = '000102030405060708090a0b0c0d0e0f';

describe('coupon codes', () => {
  it('coupon codes › the round function is Speck64/128: the published test vector', () => {
    // Beaulieu et al., "The SIMON and SPECK Families of Lightweight Block Ciphers", appendix C.
    assert.deepEqual(speck64([0x03020100, 0x0b0a0908, 0x13121110, 0x1b1a1918], 0x3b726574, 0x7475432d), [0x8c6fa548, 0x454e028b]);
  });

  it('coupon codes › a code is 12 digits and gives back its sequence number, at both ends of the space and between', () => {
    const p = new CodePermutation(KEY);
    for (const seq of [0, 1, 2, 999_999, 1_000_000, 123_456_789_012, CODE_SPACE - 2, CODE_SPACE - 1]) {
      const code = p.code(seq);
      assert.match(code, /^\d{12}$/, `code of ${seq}`);
      assert.equal(p.seq(code), seq, `seq of ${code}`);
    }
    for (let i = 0; i < 2000; i++) {
      const seq = Math.floor(Math.random() * CODE_SPACE);
      assert.equal(p.seq(p.code(seq)), seq);
    }
  });

  it('coupon codes › consecutive numbers give codes that neither repeat nor follow one another', () => {
    const p = new CodePermutation(KEY);
    const codes = Array.from({ length: 20_000 }, (_, i) => p.code(i));
    assert.equal(new Set(codes).size, codes.length);
    // Neighbouring numbers share no visible pattern: about 1 in 10 digits equal at each position.
    const same = codes.slice(1).reduce((n, c, i) => n + [...c].filter((d, j) => d === codes[i]?.[j]).length, 0);
    const perDigit = same / ((codes.length - 1) * 12);
    assert.ok(perDigit > 0.08 && perDigit < 0.12, `share of equal digits between neighbours: ${perDigit}`);
    const sorted = codes.filter((c, i) => i > 0 && c > (codes[i - 1] as string)).length / (codes.length - 1);
    assert.ok(sorted > 0.45 && sorted < 0.55, `share of codes greater than the one before: ${sorted}`);
  });

  it('coupon codes › another key, other codes', () => {
    const a = new CodePermutation(KEY);
    const b = new CodePermutation('f0e0d0c0b0a090807060504030201000');
    const differ = Array.from({ length: 100 }, (_, i) => a.code(i) !== b.code(i)).filter(Boolean).length;
    assert.ok(differ >= 99);
  });

  it('coupon codes › a code of any other form has no sequence number; bad numbers and keys are refused by name', () => {
    const p = new CodePermutation(KEY);
    for (const code of ['12345678901', '1234567890123', '12345678901a', 'IMPORTED-1', '', ' 12345678901']) {
      assert.equal(p.seq(code), null, code);
      assert.equal(isDrawnForm(code), false, code);
    }
    assert.equal(isDrawnForm('000000000000'), true);
    for (const seq of [-1, CODE_SPACE, 1.5, Number.NaN]) assert.throws(() => p.code(seq), /sequence number/);
    assert.throws(() => new CodePermutation('short'), /32 lowercase hex digits/);
  });
});
