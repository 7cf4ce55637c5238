import { randomInt } from 'node:crypto';
import { DEMO_CREDENTIALS, DEMO_CUSTOMER } from '../../app/data/demo-dataset.ts';
import { canonicalString, computeToken } from '../../http/v3-crm/signature.ts';
import type { DemoSection } from './section.ts';

/** Ready-to-paste V3 CRM coupon requests, each with its own nonce and token, signed at `now`. */
export const v3CrmSection: DemoSection = ({ baseUrl, now }) => {
  const { openId, grantCode, secret, channel } = DEMO_CREDENTIALS.zv;
  const timestamp = String(Math.floor(now / 1000));
  const sign = (params: Record<string, unknown>) => {
    const fields = { grantCode, nonce: String(randomInt(100_000, 1_000_000_000)), openId, params, timestamp };
    const token = computeToken(secret, fields);
    return { fields, token, body: { openId, grantCode, timestamp, nonce: fields.nonce, token: encodeURIComponent(token), params } };
  };
  const curl = (body: object) => `curl -s -H 'Content-Type: application/json' -X POST ${baseUrl}/v3/crm/coupon/getCustomerCoupons -d '${JSON.stringify(body)}'`;
  const one = sign({ customerId: DEMO_CUSTOMER.id, useStatus: '', cardId: DEMO_CUSTOMER.cardId });
  const list = sign({ customerId: DEMO_CUSTOMER.id });
  return {
    title: 'V3 CRM coupon (seed 003) — POST /v3/crm/coupon/getCustomerCoupons',
    lines: [
      `openId ${openId} · grantCode ${grantCode} · secret ${secret} · channel ${channel}`,
      `signed string: ${canonicalString(one.fields)}`,
      `token = base64(HMAC-SHA1(secret, signed string)) = ${one.token} (sent URL-encoded, as in the seed)`,
      `# valid for 5 minutes (timestamp ${timestamp}); each nonce works once: run \`couponhub demo\` again for fresh ones`,
      '# the seed\'s request: one coupon by cardId (valid in 2019, so useStatus "6", expired, today)',
      curl(one.body),
      '# the customer\'s whole list (add "useStatus": 0|1|2|6|7 to filter; sign again)',
      curl(list.body),
    ],
  };
};
