/**
 * The console end to end in headless Chromium, as a merchant would use it: sign in, create a
 * cash template with a time window, take a package through review to publication, see a claim
 * on the dashboard chart, redeem and reverse at the cashier, manage coupons and partners, and
 * switch language. Screenshots of each page go to test-results/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { call } from '../support/http.ts';
import { fieldError, openPage, shot, signIn, startConsole, type ConsoleFixture, type OpenPage } from './support.ts';

let fx: ConsoleFixture;
let tab: OpenPage;
let page: Page;
const made: { templateId?: string; packageId?: string; code?: string; couponId?: string } = {};

before(async () => {
  fx = await startConsole();
  tab = await openPage(fx, 'en-US');
  page = tab.page;
});
after(async () => {
  await tab?.context.close();
  await fx?.close();
});

const go = (path: string) => page.goto(`${fx.base}/console${path}`);
const heading = () => page.locator('main h1');
const badge = () => page.locator('.page-head .badge');

/** The daily chart's data as ECharts holds it (the module is the page's own instance). */
async function dailyChart(): Promise<{ dates: string[]; claims: number[]; redemptions: number[] }> {
  await page.locator('[data-chart="daily"] canvas').waitFor();
  return page.evaluate(async () => {
    const url = '/console/vendor/echarts.js';
    const echarts = await import(url);
    const option = echarts.getInstanceByDom(document.querySelector('[data-chart="daily"]')).getOption();
    const series = (id: string) => option.series.find((s: { id: string }) => s.id === id).data;
    return { dates: option.xAxis[0].data, claims: series('claims'), redemptions: series('redemptions') };
  });
}

describe('console (merchant)', () => {
  it('console › signs in with a merchant key and shows every section', async () => {
    await go('/');
    await assert.doesNotReject(page.getByRole('heading', { name: 'couponhub console' }).waitFor());
    await shot(page, '01-sign-in');
    await page.getByLabel('API key').fill('sk_test_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await fieldError(page, 'apiKey').textContent(), 'This key is unknown or revoked.');
    await signIn(page, fx.base, 'sk_test_merchant');
    const nav = await page.locator('nav.side a').allTextContents();
    assert.deepEqual(nav, ['Dashboard', 'Templates', 'Packages', 'Coupons', 'Cashier', 'Partners', 'WeChat sync']);
    assert.match(await page.locator('.top .who').textContent() ?? '', /Demo Co.*Merchant · demo merchant/);
    await page.locator('[data-chart="daily"] canvas').waitFor();
    await shot(page, '02-dashboard-before');
  });

  it('console › creates a cash template with a time window; errors from the form and the API sit next to their fields', async () => {
    await go('/templates');
    await page.locator('#templates-table').waitFor();
    await shot(page, '03-templates');
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Name', { exact: true }).fill('午市满30减10');
    await page.getByLabel('Code', { exact: true }).fill('044490851499'); // a demo template's code: the API refuses it
    await page.getByLabel('Amount off (yuan)').fill('10');
    await page.getByLabel('Valid from').fill('2026-01-01');
    await page.getByLabel('Valid until').fill('2026-12-31');
    await page.getByLabel('Minimum order (yuan)').fill('30');
    await page.getByRole('button', { name: 'Add a time window' }).click();
    await page.getByLabel('Window 1 from').fill('14:00');
    await page.getByLabel('Window 1 until').fill('11:00');
    await page.getByLabel('Stock', { exact: true }).fill('500');
    await page.getByLabel('Per user', { exact: true }).fill('2');
    await page.getByLabel('Brand name').fill('海底捞');
    await page.getByRole('button', { name: 'Create template' }).click();
    assert.equal(await fieldError(page, 'rule.timeWindows.0.to').textContent(), 'Must be after the start time (the end is exclusive).');
    await page.getByLabel('Window 1 from').fill('11:00');
    await page.getByLabel('Window 1 until').fill('14:00');
    await page.getByRole('button', { name: 'Create template' }).click();
    await fieldError(page, 'code').waitFor();
    assert.equal(await fieldError(page, 'code').textContent(), 'is taken');
    assert.equal(await page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shot(page, '04-template-errors');
    assert.equal(await page.locator('[data-preview-value]').textContent(), '¥10.00');
    assert.match(await page.locator('[data-preview-terms]').textContent() ?? '', /On orders of ¥30\.00 or more.*During 11:00–14:00/);
    await page.getByLabel('Code', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.waitForURL(/\/console\/templates\/(?!new$)[^/]+$/);
    assert.match(await page.locator('.notice.ok').textContent() ?? '', /Template “午市满30减10” created/);
    made.templateId = decodeURIComponent(page.url().split('/').pop() as string);
    const saved = await call(fx.app, 'GET', `/v1/templates/${made.templateId}`, 'sk_test_merchant');
    assert.deepEqual([saved.body.kind, saved.body.amount, saved.body.rule.minOrderAmount, saved.body.rule.timeWindows, saved.body.stock], ['cash', 1000, 3000, [{ from: '11:00', to: '14:00' }], 500]);
    await shot(page, '05-template-created');
  });

  it('console › a package is created, submitted, approved with a suggestion and published; its history says who and when', async () => {
    await go('/packages/new');
    await page.getByLabel('Name', { exact: true }).fill('午市礼包');
    await page.getByLabel('Template 1').selectOption(made.templateId as string);
    await page.getByLabel('Receipts per user').fill('1');
    await page.getByRole('button', { name: 'Create package' }).click();
    await page.waitForURL(/\/console\/packages\/(?!new$)[^/]+$/);
    made.packageId = decodeURIComponent(page.url().split('/').pop() as string);
    assert.equal(await badge().textContent(), 'Pending review');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('.page-head .badge[data-status="in_review"]').waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Suggestion').fill('图片清晰，可以发布');
    await shot(page, '06-package-approve-dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.page-head .badge[data-status="ready"]').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page.locator('.page-head .badge[data-status="published"]').waitFor();
    assert.match(await page.locator('.notice.info').textContent() ?? '', /图片清晰，可以发布/);
    await page.locator('#package-history tbody tr').nth(3).waitFor();
    const history = await page.locator('#package-history tbody tr').allTextContents();
    assert.deepEqual(history.map((r) => r.match(/Created|Submitted for review|Approved|Published/)?.[0]), ['Published', 'Approved', 'Submitted for review', 'Created']);
    for (const row of history) assert.match(row, /^2026-03-04 12:00demo merchant \(demo-key-merchant\)/);
    assert.match(history[1] as string, /“图片清晰，可以发布”/);
    await shot(page, '07-package-published');
  });

  it('console › rejecting a package needs a suggestion, which the package then shows', async () => {
    const created = await call(fx.app, 'POST', '/v1/packages', 'sk_test_merchant', { name: '待驳回礼包', items: [{ templateId: made.templateId, count: 2 }] });
    assert.equal(created.status, 201);
    await call(fx.app, 'POST', `/v1/packages/${created.body.id}/submit`, 'sk_test_merchant', {});
    await go(`/packages/${created.body.id}`);
    await page.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    assert.equal(await dialog.locator('.field-error').textContent(), 'Required.');
    await dialog.getByLabel('Suggestion *').fill('请换一张主图');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await page.locator('.page-head .badge[data-status="rejected"]').waitFor();
    assert.match(await page.locator('.notice.info').textContent() ?? '', /请换一张主图/);
    assert.equal(await page.getByRole('button', { name: 'Submit for review' }).count(), 1, 'a rejected package can be submitted again');
    await shot(page, '07b-package-rejected');
  });

  it('console › a claim made through the API shows on the dashboard chart', async () => {
    const claim = await call(fx.app, 'POST', `/v1/packages/${made.packageId}/claims`, 'sk_test_client', { userId: 'walk-in-1' });
    assert.equal(claim.status, 201);
    made.code = claim.body.coupons[0].code;
    made.couponId = claim.body.coupons[0].id;
    await go('/');
    const chart = await dailyChart();
    assert.equal(chart.dates.length, 30);
    assert.equal(chart.dates.at(-1), '03-04');
    assert.equal(chart.claims.at(-1), 1, 'today shows the one claim');
    assert.equal(chart.claims.slice(0, -1).reduce((a, b) => a + b, 0), 0);
    assert.equal(await page.locator('[data-kpi="claims"] .kpi-value').textContent(), '1');
    const row = page.locator('#template-stats tr', { hasText: '午市满30减10' });
    assert.match(await row.textContent() ?? '', /500.*1.*499.*0.*0\.0%/);
    await shot(page, '08-dashboard-with-claim');
  });

  it('console › the cashier refuses a too-small order with the reason in words, redeems a valid one and reverses it', async () => {
    await go('/cashier');
    await page.getByLabel('Coupon code').fill(made.code as string);
    await page.getByLabel('Order amount (yuan)').fill('20');
    await page.getByRole('button', { name: 'Check coupon' }).click();
    const refused = page.locator('#check-result.refused');
    await refused.waitFor();
    assert.equal(await refused.locator('[data-reason="below_min_order_amount"]').textContent(), 'The order (¥20.00) is below this coupon’s minimum of ¥30.00: ¥10.00 more is needed.');
    await shot(page, '09-cashier-refused');
    await page.getByLabel('Order amount (yuan)').fill('35');
    await page.getByRole('button', { name: 'Check coupon' }).click();
    await page.locator('#check-result.ok').waitFor();
    assert.match(await page.locator('#check-result').textContent() ?? '', /¥10\.00 off — the customer pays ¥25\.00/);
    await page.getByRole('button', { name: 'Redeem ¥10.00 off' }).click();
    await page.locator('#receipt').waitFor();
    assert.deepEqual([await page.locator('[data-discount]').textContent(), await page.locator('[data-payable]').textContent()], ['¥10.00', '¥25.00']);
    assert.equal((await call(fx.app, 'GET', `/v1/coupons/${made.couponId}`, 'sk_test_merchant')).body.status, 'used');
    await shot(page, '10-cashier-receipt');
    await page.locator('#receipt').getByRole('button', { name: 'Reverse' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reverse' }).click();
    await page.locator('#receipt-h', { hasText: 'Redemption reversed' }).waitFor();
    assert.equal((await call(fx.app, 'GET', `/v1/coupons/${made.couponId}`, 'sk_test_merchant')).body.status, 'usable');
    await page.locator('#recent-redemptions tr', { hasText: made.code as string }).filter({ hasText: 'Reversed' }).waitFor();
    await shot(page, '11-cashier-reversed');
  });

  it('console › coupons are found by code; the detail shows the trail; freezing asks first', async () => {
    await go('/coupons');
    await page.getByLabel('Coupon code').fill(made.code as string);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#coupons-table tbody tr').length === 1);
    assert.equal(await page.locator('#coupons-table tbody tr').getAttribute('data-code'), made.code);
    await shot(page, '12-coupons');
    await page.getByRole('link', { name: made.code as string }).click();
    await page.locator('#coupon-events tbody tr').nth(2).waitFor();
    const trail = await page.locator('#coupon-events tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(trail, ['Issued', 'Redeemed', 'Redemption reversed']);
    await page.getByRole('button', { name: 'Freeze' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await badge().getAttribute('data-status'), 'usable', 'cancel leaves it usable');
    await page.getByRole('button', { name: 'Freeze' }).click();
    await page.getByRole('dialog').getByLabel('Reason (optional)').fill('顾客投诉');
    await page.getByRole('dialog').getByRole('button', { name: 'Freeze' }).click();
    await page.locator('.page-head .badge[data-status="frozen"]').waitFor();
    await page.locator('#coupon-events tr[data-action="coupon.freeze"]', { hasText: '顾客投诉' }).waitFor();
    await shot(page, '13-coupon-frozen');
    await page.getByRole('button', { name: 'Unfreeze' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unfreeze' }).click();
    await page.locator('.page-head .badge[data-status="usable"]').waitFor();
  });

  it('console › partners: a new credential shows its secret once, and revoking asks first', async () => {
    await go('/partners');
    await page.locator('#credentials-table').waitFor();
    await page.getByRole('button', { name: 'New credential' }).click();
    await page.getByLabel('Kind', { exact: true }).selectOption('crm');
    await page.getByLabel('Label', { exact: true }).fill('Test CRM');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    assert.equal(await fieldError(page, 'channel').textContent(), 'Required.');
    await page.getByLabel('Channel', { exact: true }).fill('crm-test-2');
    await page.getByLabel('DES key').fill('12345678');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('#secrets').waitFor();
    assert.equal(await page.locator('[data-secret="desKey"]').textContent(), '12345678');
    await shot(page, '14-partners-secret');
    await page.getByRole('button', { name: 'I have copied them' }).click();
    assert.equal(await page.locator('[data-secret]').count(), 0, 'the secret is gone once dismissed');
    const row = page.locator('#credentials-table tr', { hasText: 'Test CRM' });
    await row.getByRole('button', { name: 'Example request' }).click();
    await page.locator('.example').waitFor();
    // Signed by the server with the new DES key: a ready curl to the CRM route.
    assert.match(await page.locator('.example pre').textContent() ?? '', /curl -s -X POST '.*\/openapi\/v1\/listCpnItemByMember'.*"channel":"crm-test-2"/);
    await shot(page, '15-partners-example');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.locator('#credentials-table tr', { hasText: 'Test CRM' }).waitFor({ state: 'detached' });
    const live = await call(fx.app, 'GET', '/v1/credentials', 'sk_test_merchant');
    assert.ok(!live.body.data.some((c: { label: string }) => c.label === 'Test CRM'));
    await go('/sync');
    await page.locator('main .notice, #sync-table, main .empty').first().waitFor();
    await shot(page, '16-wechat-sync');
  });

  it('console › switches to 中文 and back, and remembers the choice', async () => {
    await go('/');
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.locator('nav.side a', { hasText: '数据看板' }).waitFor();
    assert.equal(await heading().textContent(), '数据看板');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    const legend = await page.evaluate(async () => {
      const url = '/console/vendor/echarts.js';
      const echarts = await import(url);
      return echarts.getInstanceByDom(document.querySelector('[data-chart="daily"]')).getOption().series.map((s: { name: string }) => s.name);
    });
    assert.deepEqual(legend, ['领取', '核销']);
    await shot(page, '17-dashboard-zh');
    await page.reload();
    await page.locator('nav.side a', { hasText: '收银核销' }).waitFor();
    await go('/cashier');
    await page.getByLabel('券码', { exact: true }).fill(made.code as string);
    await page.getByLabel('订单金额（元）').fill('20');
    await page.getByRole('button', { name: '验券' }).click();
    assert.equal(await page.locator('[data-reason="below_min_order_amount"]').textContent(), '订单金额 ¥20.00 未达到此券的最低消费 ¥30.00，还差 ¥10.00。');
    await shot(page, '18-cashier-zh');
    await page.getByLabel('语言').selectOption('en');
    await page.locator('nav.side a', { hasText: 'Dashboard' }).waitFor();
    assert.deepEqual(tab.errors, [], 'no script errors on any page');
  });

  it('console › a browser that prefers Chinese gets Chinese from the start', async () => {
    const zh = await openPage(fx, 'zh-CN');
    await zh.page.goto(`${fx.base}/console/`);
    await zh.page.getByRole('heading', { name: 'couponhub 控制台' }).waitFor();
    assert.equal(await zh.page.getByRole('button', { name: '登录' }).count(), 1);
    await shot(zh.page, '19-sign-in-zh');
    await zh.context.close();
  });
});
