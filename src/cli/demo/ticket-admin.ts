import { DEMO_CREDENTIALS } from '../../app/data/demo-dataset.ts';
import type { DemoSection } from './section.ts';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Ready-to-paste requests against the ticket administration dialect (seed 004) and the WeChat sync. */
export const ticketAdminSection: DemoSection = ({ baseUrl, now }) => {
  const m = `-H 'Authorization: Bearer ${DEMO_CREDENTIALS.merchantKey}'`;
  const json = `-H 'Content-Type: application/json'`;
  const base = {
    logo_url: 'http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0',
    code_type: 'CODE_TYPE_QRCODE',
    brand_name: '海底捞',
    title: '午市七折券',
    color: 'Color010',
    notice: '使用时向服务员出示此券',
    description: '不可与其他优惠同享',
    date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: Math.floor(now / 1000), end_timestamp: Math.floor((now + 90 * DAY) / 1000) },
    sku: { quantity: 100 },
    get_limit: 2,
  };
  const card = { card_type: 'DISCOUNT', discount: { discount: 30, base_info: base, advanced_info: { time_limit: [{ type: 'MONDAY', begin_hour: 11, end_hour: 14 }, { type: 'FRIDAY', begin_hour: 11, end_hour: 14 }] } } };
  const body = (sync: boolean, extra: Record<string, unknown> = {}) => JSON.stringify({ ...extra, ticket_info: card, sync, begin_at: day(now), end_at: day(now + 30 * DAY) });
  return {
    title: 'Ticket administration (seed 004) and WeChat card sync',
    lines: [
      `merchant key ${DEMO_CREDENTIALS.merchantKey}; WeChat app ${DEMO_CREDENTIALS.wechat.appId} (sync goes to COUPONHUB_WECHAT_BASE_URL: point it at a stand-in to try it offline)`,
      '',
      '# create a 7折 ticket (WeChat DISCOUNT 30 = 30 % off), valid Mondays and Fridays 11:00–14:00; the answer\'s data.id is the ticket id',
      `curl -s ${m} ${json} -X POST ${baseUrl}/discount/ticket -d '${body(false)}'`,
      '# list discount tickets whose claim window starts today or later, 5 per page',
      `curl -s ${m} '${baseUrl}/tickets?search=ticket_type:discount;begin_at:${day(now)}&searchFields=ticket_type:=;begin_at:>=&per_page=5'`,
      '# raise the stock to 150 and sync to WeChat (card/create, later card/update + card/modifystock)',
      `curl -s ${m} ${json} -X PUT ${baseUrl}/ticket/<id> -d '${body(true, { ticket_type: 'discount' }).replace('"quantity":100', '"quantity":150')}'`,
      '# the sync queue in the native API: state, attempts, last error, card_id; retry by hand',
      `curl -s ${m} '${baseUrl}/v1/wechat/sync'`,
      `curl -s ${m} -X POST ${baseUrl}/v1/wechat/sync/<templateId>/retry`,
    ],
  };
};
