import { randomBytes } from 'node:crypto';
import { DEMO_CHAT, DEMO_CREDENTIALS, DEMO_LIVE, DEMO_PACKAGE_ID } from '../../app/data/demo-dataset.ts';
import { computeSign } from '../../http/op-v2/signature.ts';
import type { DemoSection } from './section.ts';

const OP = DEMO_CREDENTIALS.op;

/** A ready-to-paste curl: the body is sent byte for byte as signed (--data-raw, no re-encoding). */
function signedCurl(baseUrl: string, route: string, body: string, extra: Array<[string, string]> = []): string {
  const pairs: Array<[string, string]> = [['apiVersion', '01'], ['client', OP.client], ['version', '2.0'], ...extra];
  const sign = computeSign(pairs, Buffer.from(body, 'utf8'), OP.secret);
  const query = new URLSearchParams([...pairs, ['sign', sign]]);
  return `curl -s -X POST '${baseUrl}/op/v2/${route}?${query}' -H 'Content-Type: application/json' --data-raw '${body}'`;
}

/** Signed OP v2 requests for the seed examples (2.6 and 2.13). */
export const opV2Section: DemoSection = ({ baseUrl, now }) => {
  const packageBody = JSON.stringify({ TicketPackageId: DEMO_PACKAGE_ID });
  const chatBody = JSON.stringify({ OwnerType: 1, ChatId: DEMO_CHAT.id });
  const nonce = randomBytes(8).toString('hex');
  return {
    title: 'OP v2 (seeds 000, 001) — signed with MD5, see README "OP v2"',
    lines: [
      `client ${OP.client} · secret ${OP.secret}`,
      `sign = md5("apiVersion=01&client=${OP.client}&version=2.0&body=" + body + "&key=${OP.secret}")`,
      '',
      '# 2.6 the seed package with its three tickets (no timestamp: stays valid)',
      signedCurl(baseUrl, 'getTicketPackageById', packageBody),
      "# 2.13 the seed chat's coupons, grouped into canUse / freeze. The seed's own coupons expired in",
      '# December 2015; the demo adds one live coupon to the chat, and you can claim more into it:',
      `curl -s -H 'Authorization: Bearer ${DEMO_CREDENTIALS.clientKey}' -H 'Content-Type: application/json' -X POST ${baseUrl}/v1/templates/${DEMO_LIVE.cashTemplateId}/claims -d '{"userId":"${DEMO_CHAT.userId}","chatId":"${DEMO_CHAT.id}"}'`,
      signedCurl(baseUrl, 'getMergeTicketUsersByChatId', chatBody),
      "# the chat operator's holdings (OwnerType 2); give the operator some with POST /v1/operators/op001/coupons",
      signedCurl(baseUrl, 'getMergeTicketUsersByChatId', JSON.stringify({ OwnerType: 2, ChatId: DEMO_CHAT.id, OperatorId: DEMO_CHAT.operatorId })),
      '# with timestamp + nonce: valid for 5 minutes from now, and only once (a repeat answers code 401)',
      signedCurl(baseUrl, 'getTicketPackageById', packageBody, [['timestamp', String(now)], ['nonce', nonce]]),
    ],
  };
};
