/** The WeChat card format: WeChat's rules, and card → template → card without losing what the partner sent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCard } from '../../src/app/wechat/card-rules.ts';
import { cardToTemplate } from '../../src/app/wechat/card-to-template.ts';
import type { WechatCard } from '../../src/app/wechat/card.ts';
import { ticketCard } from '../../src/app/wechat/template-to-card.ts';
import { mergeTemplate } from '../../src/app/templates/template-input.ts';
import { templateWindow, validateTemplateData, type Template } from '../../src/domain/template.ts';

const NOW = Date.parse('2026-11-23T04:00:00Z');
const TZ = 'Asia/Shanghai';
const kinds = [{ id: 'pk-shoes', name: '鞋类' }];

/** The member card of seed 004's example (its icon list repaired: the seed elides it with "…"). */
const SEED_MEMBER_CARD = {
  card_type: 'MEMBER_CARD',
  member_card: {
    discount: 10,
    base_info: {
      sku: { quantity: 50000000 }, color: 'Color010', title: '海底捞会员卡', notice: '使用时向服务员出示此券', logo_url: 'http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0',
      code_type: 'CODE_TYPE_TEXT', date_info: { type: 'DATE_TYPE_PERMANENT' }, get_limit: 3, brand_name: '海底捞', custom_url: 'http://weixin.qq.com', description: '不可与其他优惠同享',
      promotion_url: 'http://www.qq.com', service_phone: '020-88888888', can_give_friend: true, custom_url_name: '立即使用', use_custom_code: false, location_id_list: [123, 12321],
      need_push_on_view: true, promotion_url_name: '营销入口1', custom_url_sub_title: '6个汉字tips',
    },
    bonus_rule: { reduce_money: 100, increase_bonus: 1, cost_bonus_unit: 5, cost_money_unit: 100, max_reduce_bonus: 50, max_increase_bonus: 200, init_increase_bonus: 10, least_money_to_use_bonus: 1000 },
    prerogative: 'test_prerogative', activate_url: 'http://www.qq.com', custom_cell1: { url: 'http://www.xxx.com', name: '使用入口2', tips: '激活后显示' }, supply_bonus: true,
    advanced_info: {
      abstract: { abstract: '微信餐厅推出多种新季菜品，期待您的光临', icon_url_list: ['http://mmbiz.qpic.cn/mmbiz/p98FjXy8LacgHxp3sJ3vn97bGLz0ib0Sfz1bjiaoOYA027iasqSG0sjpiby4vce3AtaPu6cIhBHkt6IjlkY9YnDsfw/0'] },
      time_limit: [{ type: 'MONDAY', end_hour: 10, begin_hour: 0, end_minute: 59, begin_minute: 10 }, { type: 'HOLIDAY' }],
      use_condition: { accept_category: '鞋类', reject_category: '阿迪达斯', can_use_with_other_discount: true },
      text_image_list: [{ text: '此菜品精选食材', image_url: 'http://mmbiz.qpic.cn/mmbiz/p98FjXy8Lacg/0' }],
      business_service: ['BIZ_SERVICE_FREE_WIFI', 'BIZ_SERVICE_WITH_PET', 'BIZ_SERVICE_FREE_PARK', 'BIZ_SERVICE_DELIVER'],
    },
    auto_activate: true, custom_field1: { url: 'http://www.qq.com', name_type: 'FIELD_NAME_TYPE_LEVEL' }, supply_balance: false, background_pic_url: 'https://mmbiz.qlogo.cn/mmbiz/',
  },
};

/** The template a card becomes, as the store would hold it. */
function templateFrom(card: WechatCard): Template {
  const { template, display } = cardToTemplate(card, { beginAt: '2030-01-01', endAt: '2030-06-30' }, { timeZone: TZ, productKinds: kinds });
  const data = mergeTemplate(null, { ...template, display });
  validateTemplateData(data);
  return { ...data, ...templateWindow(data, TZ), tenantId: 't', id: 'tpl', code: '000000000001', number: 1, claimed: 0, status: 'active', createdAt: NOW, updatedAt: NOW };
}

function checked(input: unknown): WechatCard {
  const r = checkCard(input, { now: NOW });
  assert.deepEqual(r.problems, []);
  return r.card as WechatCard;
}

describe('wechat card', () => {
  it("wechat card › the seed's example card passes WeChat's rules as a member card", () => {
    const card = checked(SEED_MEMBER_CARD);
    const t = templateFrom(card);
    assert.deepEqual([t.kind, t.discount, t.stock, t.perUserLimit, t.rule.validTo], ['member_card', 9, 50000000, 3, null]);
    assert.deepEqual([t.rule.weekdays, t.rule.timeWindows, t.rule.productKindIds], [[1], [{ from: '00:10', to: '10:59' }], ['pk-shoes']]);
  });

  it('wechat card › card → template → card gives back what the partner sent', () => {
    for (const input of [SEED_MEMBER_CARD, { card_type: 'CASH', cash: { least_cost: 3000, reduce_cost: 500, base_info: { ...SEED_MEMBER_CARD.member_card.base_info, date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: 1893427200, end_timestamp: 1924963199 } }, advanced_info: SEED_MEMBER_CARD.member_card.advanced_info } }]) {
      const card = checked(input);
      assert.deepEqual(ticketCard(templateFrom(card), card, { timeZone: TZ, productKinds: kinds }), card);
    }
  });

  it("wechat card › the engine's values win over the stored card when a template changed elsewhere", () => {
    const card = checked({ card_type: 'DISCOUNT', discount: { discount: 30, base_info: { ...SEED_MEMBER_CARD.member_card.base_info, date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 30 } } } });
    const t = { ...templateFrom(card), name: '八折券', discount: 8, stock: 10, perUserLimit: null, rule: { ...templateFrom(card).rule, weekdays: [6, 7], timeWindows: [{ from: '09:00', to: '12:00' }], validDaysAfterClaim: 7 } };
    const shown = ticketCard(t, card, { timeZone: TZ, productKinds: kinds }) as any;
    assert.deepEqual([shown.discount.discount, shown.discount.base_info.title, shown.discount.base_info.sku, shown.discount.base_info.get_limit], [20, '八折券', { quantity: 10 }, 0]);
    assert.deepEqual(shown.discount.base_info.date_info, { type: 'DATE_TYPE_FIX_TERM', fixed_term: 7, fixed_begin_term: 0 });
    assert.deepEqual(shown.discount.advanced_info.time_limit, [
      { type: 'SATURDAY', begin_hour: 9, begin_minute: 0, end_hour: 12, end_minute: 0 },
      { type: 'SUNDAY', begin_hour: 9, begin_minute: 0, end_hour: 12, end_minute: 0 },
    ]);
    assert.deepEqual(checkCard(shown, { now: NOW }).problems, [], 'what the sync would send is still a valid card');
  });

  it('wechat card › legacy date types 1 and 2 and digit strings are read as WeChat reads them', () => {
    const card = checked({ card_type: 'GIFT', gift: { gift: '礼品', base_info: { ...SEED_MEMBER_CARD.member_card.base_info, date_info: { type: 1, begin_timestamp: '1893427200', end_timestamp: '1924963199' } } } }) as any;
    assert.deepEqual(card.gift.base_info.date_info, { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: 1893427200, end_timestamp: 1924963199 });
    const t = templateFrom(card);
    assert.deepEqual([t.rule.validFrom, t.rule.validTo], ['2030-01-01', '2030-12-31']);
  });
});
