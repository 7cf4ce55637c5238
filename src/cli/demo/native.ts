import { DEMO_CHAT, DEMO_CREDENTIALS, DEMO_LIVE } from '../../app/data/demo-dataset.ts';
import type { DemoSection } from './section.ts';

/** Ready-to-paste requests against the native API. */
export const nativeSection: DemoSection = ({ baseUrl }) => {
  const m = `-H 'Authorization: Bearer ${DEMO_CREDENTIALS.merchantKey}'`;
  const c = `-H 'Authorization: Bearer ${DEMO_CREDENTIALS.clientKey}'`;
  const k = `-H 'Authorization: Bearer ${DEMO_CREDENTIALS.cashierKey}'`;
  const json = `-H 'Content-Type: application/json'`;
  return {
    title: 'Native API (/v1) — reference at /docs',
    lines: [
      `API keys: merchant ${DEMO_CREDENTIALS.merchantKey} · cashier ${DEMO_CREDENTIALS.cashierKey} · client ${DEMO_CREDENTIALS.clientKey}`,
      '',
      '# claim a coupon of "满30减10" for a new user',
      `curl -s ${c} ${json} -X POST ${baseUrl}/v1/templates/${DEMO_LIVE.cashTemplateId}/claims -d '{"userId":"alice"}'`,
      '# her wallet, grouped by template',
      `curl -s ${c} '${baseUrl}/v1/users/alice/coupons?groupBy=template'`,
      '# validate a 20.00 yuan order (below the 30.00 threshold: refused, with the reason), then redeem a 35.00 one',
      `curl -s ${k} ${json} -X POST ${baseUrl}/v1/redemptions/validate -d '{"code":"<code from the claim>","order":{"id":"o-1","amount":2000}}'`,
      `curl -s ${k} ${json} -H 'Idempotency-Key: o-2' -X POST ${baseUrl}/v1/redemptions -d '{"code":"<code from the claim>","order":{"id":"o-2","amount":3500}}'`,
      '# receive the welcome package (every coupon or none)',
      `curl -s ${c} ${json} -X POST ${baseUrl}/v1/packages/${DEMO_LIVE.packageId}/claims -d '{"userId":"bob"}'`,
      `# the seed chat's coupons (OP 2.13) through the native API`,
      `curl -s ${m} '${baseUrl}/v1/chats/${DEMO_CHAT.id}/coupons?groupBy=template'`,
      '# dashboard numbers',
      `curl -s ${m} '${baseUrl}/v1/stats/daily?days=30'`,
    ],
  };
};
