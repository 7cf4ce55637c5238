/**
 * What a key's role sees, and the cashier's till used with the keyboard alone (Tab, typing,
 * Enter): labels name every control, focus follows the visual order and lands where the next
 * step is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_LIVE } from '../../src/app/data/demo-dataset.ts';
import { call } from '../support/http.ts';
import { openPage, shot, startConsole, type ConsoleFixture } from './support.ts';

let fx: ConsoleFixture;
before(async () => {
  fx = await startConsole();
});
after(async () => {
  await fx?.close();
});

/** The focused element as a person hears it: its label (inputs) or its text (buttons, headings). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labels = (el as HTMLInputElement).labels;
    const name = labels && labels.length > 0 ? labels[0]!.textContent : el.getAttribute('aria-label') ?? el.textContent;
    return `${el.tagName.toLowerCase()}:${(name ?? '').trim()}`;
  });
}

async function tab(page: Page): Promise<string> {
  await page.keyboard.press('Tab');
  return focused(page);
}

async function keyboardSignIn(page: Page, key: string): Promise<void> {
  await page.goto(`${fx.base}/console/`);
  await page.locator('#f-apiKey:focus').waitFor();
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.locator('nav.side').waitFor();
}

describe('console roles', () => {
  it('console › a cashier key sees only the cashier page', async () => {
    const { page, context, errors } = await openPage(fx);
    await keyboardSignIn(page, 'sk_test_cashier');
    await page.waitForURL(/\/console\/cashier$/);
    assert.deepEqual(await page.locator('nav.side a').allTextContents(), ['Cashier']);
    assert.match(await page.locator('.top .who').textContent() ?? '', /Cashier · demo cashier/);
    await shot(page, '20-cashier-role');
    for (const path of ['/templates', '/packages', '/coupons', '/partners', '/sync', '/templates/new']) {
      await page.goto(`${fx.base}/console${path}`);
      assert.equal(await page.locator('main .notice.error').textContent(), 'Your key’s role cannot open this page.', path);
      assert.equal(await page.locator('main h1').count(), 0, `${path} shows no page`);
    }
    await page.goto(`${fx.base}/console/`);
    await page.waitForURL(/\/console\/cashier$/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('console › a client key reads templates, packages and coupons but cannot change them', async () => {
    const { page, context } = await openPage(fx);
    await keyboardSignIn(page, 'sk_test_client');
    await page.waitForURL(/\/console\/templates$/);
    assert.deepEqual(await page.locator('nav.side a').allTextContents(), ['Templates', 'Packages', 'Coupons']);
    await page.locator('#templates-table').waitFor();
    assert.equal(await page.getByRole('link', { name: 'New template' }).count(), 0);
    await page.goto(`${fx.base}/console/packages/${DEMO_LIVE.packageId}`);
    await page.locator('main h1', { hasText: '新人礼包' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Close' }).count(), 0);
    await context.close();
  });

  it('console › the cashier flow works from the keyboard alone', async () => {
    const claim = await call(fx.app, 'POST', `/v1/templates/${DEMO_LIVE.cashTemplateId}/claims`, 'sk_test_client', { userId: 'keyboard-user' });
    assert.equal(claim.status, 201);
    const code: string = claim.body.code;
    const { page, context, errors } = await openPage(fx);
    await keyboardSignIn(page, 'sk_test_cashier');
    await page.locator('#f-code:focus').waitFor();
    assert.equal(await focused(page), 'input:Coupon code');
    await page.keyboard.type(code);
    assert.equal(await tab(page), 'input:Order amount (yuan)');
    await page.keyboard.type('50');
    const order = [];
    for (let i = 0; i < 7; i++) order.push(await tab(page));
    assert.deepEqual(order, ['input:打车', 'input:其他', 'input:咖啡', 'input:测试', 'select:Channel', 'input:Order number', 'button:Check coupon']);
    await page.keyboard.press('Enter');
    await page.locator('#check-result.ok').waitFor();
    await page.locator('button:focus', { hasText: 'Redeem' }).waitFor();
    assert.equal(await focused(page), 'button:Redeem ¥10.00 off', 'focus moves to Redeem');
    await shot(page, '21-keyboard-checked');
    await page.keyboard.press('Enter');
    await page.locator('#receipt-h:focus').waitFor();
    assert.match(await focused(page), /^h2:Redeemed/, 'focus moves to the receipt');
    assert.equal(await page.locator('[data-payable]').textContent(), '¥40.00');
    assert.equal(await tab(page), 'button:Reverse');
    await page.keyboard.press('Enter');
    await page.locator('dialog textarea:focus').waitFor();
    assert.equal(await focused(page), 'textarea:Reason (optional)');
    await page.keyboard.type('顾客退单');
    assert.equal(await tab(page), 'button:Cancel');
    assert.equal(await tab(page), 'button:Reverse');
    await shot(page, '22-keyboard-reverse-dialog');
    await page.keyboard.press('Enter');
    await page.locator('#receipt-h', { hasText: 'Redemption reversed' }).waitFor();
    await page.locator('button:focus', { hasText: 'Next order' }).waitFor();
    assert.equal(await focused(page), 'button:Next order');
    const coupon = await call(fx.app, 'GET', `/v1/coupons/${claim.body.id}`, 'sk_test_merchant');
    assert.equal(coupon.body.status, 'usable', 'the reversal made the coupon usable again');
    await page.keyboard.press('Enter');
    await page.locator('#f-code:focus').waitFor();
    assert.equal(await page.locator('#f-code').inputValue(), '', 'a fresh order starts on an empty code');
    await shot(page, '23-keyboard-next-order');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
