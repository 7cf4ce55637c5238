/**
 * Writes the data set of SPEC §2 as a stream of JSON text, coupons and package receipts a page at
 * a time, so a tenant with millions of them exports in bounded memory. export → import round-trips.
 */
import type { Coupon } from '../../domain/coupon.ts';
import { FOREVER, type Template } from '../../domain/template.ts';
import { endOfLocalDay, formatIsoInZone, formatLocalDate, startOfLocalDay } from '../../domain/time.ts';
import type { Queries } from '../../store/store.ts';
import type { Deps } from '../ports.ts';

const PAGE = 2000;

/** A date when the instant is a local day boundary of that kind, else an ISO instant in the zone. */
function dateOrInstant(ms: number, tz: string, edge: 'start' | 'end'): string {
  // "No end" is an instant (9999-12-31T23:59:59.999Z), not a local day: east of UTC that day is in year 10000.
  if (ms >= FOREVER) return new Date(ms).toISOString();
  const day = formatLocalDate(ms, tz);
  const boundary = edge === 'start' ? startOfLocalDay(day, tz) : endOfLocalDay(day, tz);
  return boundary === ms ? day : formatIsoInZone(ms, tz);
}

function templateOut(t: Template, extra: Record<string, unknown> | undefined) {
  return {
    id: t.id,
    code: t.code,
    number: t.number,
    name: t.name,
    kind: t.kind,
    amount: t.amount,
    discount: t.discount,
    themeId: t.themeId,
    sort: t.sort,
    rule: t.rule,
    stock: t.stock,
    perUserLimit: t.perUserLimit,
    claimFrom: t.claimFrom,
    claimTo: t.claimTo,
    display: t.display,
    status: t.status,
    claimed: t.claimed,
    ...(extra && Object.keys(extra).length > 0 ? { extra } : {}),
    createdAt: new Date(t.createdAt).toISOString(),
  };
}

export function couponOut(c: Coupon, tz: string) {
  return {
    id: c.id,
    code: c.code,
    templateId: c.templateId,
    ownerType: c.ownerType,
    ownerId: c.ownerId,
    senderId: c.senderId,
    chatId: c.chatId,
    packageId: c.packageId,
    status: c.status,
    validFrom: dateOrInstant(c.validFrom, tz, 'start'),
    validTo: dateOrInstant(c.validTo, tz, 'end'),
    issuedAt: new Date(c.issuedAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

async function tenantHead(q: Queries, tenantId: string) {
  const t = await q.tenants.get(tenantId);
  if (!t) return null;
  const credentials = (await q.credentials.exportForTenant(tenantId)).map((c) => {
    switch (c.kind) {
      case 'api':
        return { id: c.id, kind: c.kind, role: c.role, keyHash: c.keyHash, keyHint: c.keyHint, label: c.label };
      case 'op':
        return { id: c.id, kind: c.kind, client: c.publicId, secret: c.secret, label: c.label };
      case 'crm':
        return { id: c.id, kind: c.kind, channel: c.publicId, desKey: c.secret, label: c.label };
      case 'zv':
        return { id: c.id, kind: c.kind, openId: c.publicId, grantCode: c.grantCode, secret: c.secret, channel: c.channel, label: c.label };
      case 'wechat':
        return { id: c.id, kind: c.kind, appId: c.publicId, appSecret: c.secret, label: c.label };
    }
  });
  const templates = await q.templates.listAll(tenantId);
  const extras = await Promise.all(templates.map((x) => q.templates.getExtra(tenantId, x.id)));
  const packages = await q.packages.listAll(tenantId);
  return {
    timezone: t.timezone,
    head: {
      id: t.id,
      name: t.name,
      timezone: t.timezone,
      servicePhone: t.servicePhone,
      credentials,
      productKinds: await q.catalog.listNamed('product_kinds', tenantId),
      channels: await q.catalog.listNamed('channels', tenantId),
      themes: await q.catalog.listNamed('themes', tenantId),
      users: await q.catalog.listUsers(tenantId),
      operators: await q.catalog.listNamed('operators', tenantId),
      chats: await q.catalog.listChats(tenantId),
      templates: templates.map((x, i) => templateOut(x, extras[i])),
      packages: packages.map((p) => ({
        id: p.id,
        code: p.code,
        name: p.name,
        alias: p.alias,
        aliasCodeType: p.aliasCodeType,
        channelIds: p.channelIds,
        status: p.status,
        createdBy: p.createdBy,
        operatorId: p.operatorId,
        examinerId: p.examinerId,
        suggestion: p.suggestion,
        remark: p.remark,
        url: p.url,
        rule: p.rule,
        items: p.items,
        claimed: p.claimed,
        createdAt: new Date(p.createdAt).toISOString(),
      })),
    },
  };
}

/**
 * The items of one JSON array, a page at a time in id order (keyset: each page reads an index
 * range), one item a line. `onPage(items so far)` after each page.
 */
async function* pagedItems<T extends { id: string }>(
  page: (afterId: string | null, limit: number) => Promise<T[]>,
  out: (item: T) => unknown,
  pageSize: number,
  onPage?: (written: number) => void,
): AsyncGenerator<string> {
  let after: string | null = null;
  let written = 0;
  for (;;) {
    const items = await page(after, pageSize);
    if (items.length === 0) return;
    yield items.map((x, i) => `${written === 0 && i === 0 ? '' : ','}\n${JSON.stringify(out(x))}`).join('');
    written += items.length;
    onPage?.(written);
    after = items.at(-1)?.id ?? null;
    if (items.length < pageSize) return;
  }
}

/** Every tenant id, or the ones asked for. */
async function tenantIds(q: Queries, only: string[] | undefined): Promise<string[]> {
  if (only && only.length > 0) return only;
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await q.tenants.list(500, after);
    ids.push(...page.map((t) => t.id));
    if (page.length < 500) return ids;
    after = page.at(-1)?.id ?? null;
  }
}

/**
 * Yields the document's text in pieces. `onProgress(coupons written)` is called per page;
 * `pageSize` (rows read at a time) is there for tests.
 * Reads run outside a transaction: export a store that is not taking writes for an exact snapshot.
 */
export async function* exportDataset({ store }: Deps, options: { tenantIds?: string[]; onProgress?: (coupons: number) => void; pageSize?: number } = {}): AsyncGenerator<string> {
  const q = store.q;
  const pageSize = options.pageSize ?? PAGE;
  yield '{"tenants":[';
  let first = true;
  let written = 0;
  for (const id of await tenantIds(q, options.tenantIds)) {
    const t = await tenantHead(q, id);
    if (!t) continue;
    const head = JSON.stringify(t.head);
    yield `${first ? '' : ','}\n${head.slice(0, -1)},"coupons":[`;
    first = false;
    const before = written;
    yield* pagedItems((after, limit) => q.coupons.pageForExport(id, after, limit), (c) => couponOut(c, t.timezone), pageSize, (n) => {
      written = before + n;
      options.onProgress?.(written);
    });
    // Receipts travel so per-user package limits still hold after import.
    yield '],"receipts":[';
    yield* pagedItems(
      (after, limit) => q.packages.pageReceiptsForExport(id, after, limit),
      (r) => ({ id: r.id, packageId: r.packageId, userId: r.userId, receiptCode: r.receiptCode, createdAt: new Date(r.createdAt).toISOString() }),
      pageSize,
    );
    yield '],"redemptions":[';
    yield* pagedItems(
      (after, limit) => q.redemptions.pageForExport(id, after, limit),
      (r) => ({
        id: r.id,
        couponId: r.couponId,
        orderId: r.orderId,
        orderAmount: r.orderAmount,
        discountAmount: r.discountAmount,
        status: r.status,
        createdAt: new Date(r.createdAt).toISOString(),
        reversedAt: r.reversedAt === null ? null : new Date(r.reversedAt).toISOString(),
      }),
      pageSize,
    );
    yield ']}';
  }
  yield '\n]}\n';
}
