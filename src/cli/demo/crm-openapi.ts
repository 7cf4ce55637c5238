import { DEMO_CREDENTIALS, DEMO_MEMBER } from '../../app/data/demo-dataset.ts';
import { encryptParam } from '../../http/crm-openapi/signature.ts';
import type { DemoSection } from './section.ts';

/** Ready-to-paste CRM open API requests, encrypted with the demo channel's DES key at `now`. */
export const crmOpenApiSection: DemoSection = ({ baseUrl, now }) => {
  const { channel, desKey } = DEMO_CREDENTIALS.crm;
  const request = (business: object) => {
    const body = { channel, timestamp: String(now), param: encryptParam(JSON.stringify(business), desKey) };
    return `curl -s -H 'Content-Type: application/json' -X POST ${baseUrl}/openapi/v1/listCpnItemByMember -d '${JSON.stringify(body)}'`;
  };
  const byMember = { memberId: DEMO_MEMBER.id };
  return {
    title: 'CRM open API (seed 002) — POST /openapi/v1/listCpnItemByMember',
    lines: [
      `channel ${channel} · DES key ${desKey} (DES/ECB/PKCS5Padding over the UTF-8 JSON, uppercase hex)`,
      `param plaintext ${JSON.stringify(byMember)} → ${encryptParam(JSON.stringify(byMember), desKey)}`,
      `# valid for 5 minutes (timestamp ${now} = ${new Date(now).toISOString()}); run \`couponhub demo\` again for fresh ones`,
      '# the seed member\'s 8 coupons (from 2020: they read status 2, expired, today)',
      request(byMember),
      '# the same member by its WeChat openid',
      request({ platformId: DEMO_MEMBER.openid }),
    ],
  };
};
