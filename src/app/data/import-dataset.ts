/**
 * Loads a data set (SPEC §2) in one transaction: all of it or nothing. Idempotent by id: what
 * exists already is left as it is, so importing the same file twice changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/catalog.ts';
import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode, isDomainError } from '../../domain/errors.ts';
import { packageWindow, validatePackageData, type GiftPackage } from '../../domain/package.ts';
import { templateWindow, validateTemplateData, type Template } from '../../domain/template.ts';
import { isValidTimeZone, parseDateOrInstant } from '../../domain/time.ts';
import type { Queries } from '../../store/store.ts';
import { buildCredential } from '../credentials/create-credential.ts';
import { checkPackageReferences, mergePackage } from '../packages/package-input.ts';
import type { Deps } from '../ports.ts';
import { compileCheck } from '../schemas/problems.ts';
import { checkTemplateReferences, mergeTemplate } from '../templates/template-input.ts';
import { DatasetSchema, type Dataset, type TemplateItemData, type TenantData } from './dataset.ts';
import { datasetProblems } from './import-checks.ts';
import { rebuildCounters, touchedBy } from './import-counters.ts';

export interface ImportSummary {
  tenants: number;
  credentials: number;
  templates: number;
  packages: number;
  coupons: number;
  redemptions: number;
}

export interface ImportOptions {
  actor: Actor;
  /** Called as coupons go in: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const checkDataset = compileCheck(DatasetSchema);

/** Re-throws a validation failure with every field prefixed by where it sits in the file. */
async function at<T>(prefix: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e) && e.details.errors) {
      const errors = e.details.errors.map((p) => ({ field: `${prefix}.${p.field}`, message: p.message }));
      throw new DomainError(e.code === ErrorCode.already_exists ? ErrorCode.validation_failed : e.code, errors.map((p) => `${p.field}: ${p.message}`).join('; '), { errors });
    }
    if (isDomainError(e)) throw new DomainError(e.code, `${prefix}: ${e.message}`, e.details);
    throw e;
  }
}

const stableId = (...parts: Array<string | null | undefined>): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

async function importCredentials(q: Queries, deps: Deps, t: TenantData, path: string, now: number): Promise<number> {
  let n = 0;
  for (const [i, c] of (t.credentials ?? []).entries()) {
    await at(`${path}.credentials.${i}`, async () => {
      const built = buildCredential(deps.ids, t.id, { ...c, id: c.id ?? stableId(t.id, c.kind, c.client ?? c.channel ?? c.openId ?? c.appId ?? c.keyHash ?? c.key) }, now);
      const clash = built.credential.publicId !== null ? await q.credentials.byPublicId(built.credential.kind, built.credential.publicId) : built.keyHash ? await q.credentials.byKeyHash(built.keyHash) : undefined;
      if (clash && clash.tenantId !== t.id) throw DomainError.field(c.kind === 'api' ? 'key' : 'id', `already used by another tenant`);
      if (clash) return;
      if (await q.credentials.insert(built.credential, built.keyHash)) n++;
    });
  }
  return n;
}

async function importCatalog(q: Queries, t: TenantData, path: string, now: number): Promise<void> {
  for (const [kind, list] of [['product_kinds', t.productKinds], ['channels', t.channels], ['themes', t.themes], ['operators', t.operators]] as const) {
    for (const item of list ?? []) await q.catalog.ensureNamed(kind, t.id, item, now);
  }
  for (const [i, u] of (t.users ?? []).entries()) {
    await q.catalog.ensureUser(t.id, u.id, now);
    for (const [j, pid] of (u.platformIds ?? []).entries()) {
      if (!(await q.catalog.linkPlatformId(t.id, u.id, pid))) throw DomainError.field(`${path}.users.${i}.platformIds.${j}`, `${pid} belongs to another user`);
    }
  }
  for (const c of t.chats ?? []) {
    await q.catalog.ensureUser(t.id, c.userId, now);
    await q.catalog.ensureNamed('operators', t.id, { id: c.operatorId, name: c.operatorId }, now);
    await q.catalog.insertChat(t.id, c, now);
  }
}

/**
 * The file's templates the store does not hold yet, checked. Existing ones are left as they are
 * and take no template number, so importing a file again leaves the tenant's numbering alone.
 * They are skipped before any check: the file may carry what the store holds from before a limit
 * (a display over today's limits), and nothing of them is written.
 */
async function newTemplates(q: Queries, t: TenantData, path: string): Promise<Array<[number, TemplateItemData]>> {
  const out: Array<[number, TemplateItemData]> = [];
  for (const [i, item] of (t.templates ?? []).entries()) {
    await at(`${path}.templates.${i}`, async () => {
      if (await q.templates.get(t.id, item.id)) return;
      const data = mergeTemplate(null, item);
      validateTemplateData(data);
      await checkTemplateReferences(q, t.id, data);
      if (item.number !== undefined && (await q.templates.byNumber(t.id, item.number))) throw DomainError.field('number', `${item.number} is the number of another template of this tenant`);
      if (item.code !== undefined && (await q.templates.codeTaken(t.id, item.code))) throw DomainError.field('code', `${item.code} is the code of another template of this tenant`);
      out.push([i, item]);
    });
  }
  return out;
}

async function importTemplates(q: Queries, deps: Deps, t: TenantData, tz: string, path: string, now: number): Promise<Template[]> {
  const fresh = await newTemplates(q, t, path);
  // Numbers the file gives are taken before any is handed out, so a template without one cannot
  // be given a number a later entry of the file carries.
  const given = fresh.map(([, item]) => item.number ?? 0);
  if (given.some((n) => n > 0)) await q.tenants.raiseTemplateNumber(t.id, Math.max(...given));
  const inserted: Template[] = [];
  for (const [i, item] of fresh) {
    await at(`${path}.templates.${i}`, async () => {
      const data = mergeTemplate(null, item);
      const number = item.number ?? (await q.tenants.nextTemplateNumber(t.id));
      const created = item.createdAt ? parseDateOrInstant(item.createdAt, tz, 'start', 'createdAt') : now;
      const tpl: Template = {
        ...data,
        ...templateWindow(data, tz),
        tenantId: t.id,
        id: item.id,
        code: item.code ?? deps.ids.templateCode(),
        number,
        claimed: item.claimed ?? 0,
        status: item.status ?? 'active',
        createdAt: created,
        updatedAt: created,
      };
      if (!(await q.templates.insert(tpl, item.extra ?? {}))) throw new Error(`template ${item.id} appeared during the import`);
      await q.tenants.raiseTemplateNumber(t.id, number);
      inserted.push(tpl);
    });
  }
  return inserted;
}

async function importPackages(q: Queries, deps: Deps, t: TenantData, tz: string, path: string, now: number): Promise<GiftPackage[]> {
  const inserted: GiftPackage[] = [];
  for (const [i, item] of (t.packages ?? []).entries()) {
    await at(`${path}.packages.${i}`, async () => {
      const data = mergePackage(null, item);
      validatePackageData(data);
      await checkPackageReferences(q, t.id, data);
      // Codes are unique per tenant: name the field rather than fail on the constraint.
      if (item.code !== undefined && !(await q.packages.get(t.id, item.id)) && (await q.packages.codeTaken(t.id, item.code))) {
        throw DomainError.field('code', `${item.code} is the code of another package of this tenant`);
      }
      const created = item.createdAt ? parseDateOrInstant(item.createdAt, tz, 'start', 'createdAt') : now;
      const p: GiftPackage = {
        ...data,
        ...packageWindow(data, tz),
        tenantId: t.id,
        id: item.id,
        code: item.code ?? deps.ids.packageCode(),
        status: item.status ?? 'pending_review',
        createdBy: item.createdBy ?? null,
        operatorId: item.operatorId !== undefined ? item.operatorId : (item.createdBy ?? null),
        examinerId: item.examinerId ?? null,
        suggestion: item.suggestion ?? null,
        claimed: item.claimed ?? 0,
        createdAt: created,
        updatedAt: created,
      };
      if (await q.packages.insert(p)) inserted.push(p);
    });
  }
  return inserted;
}

async function importCoupons(q: Queries, t: TenantData, tz: string, path: string, now: number, progress: (n: number) => void): Promise<number> {
  const coupons: Coupon[] = [];
  for (const [i, c] of (t.coupons ?? []).entries()) {
    await at(`${path}.coupons.${i}`, async () => {
      if (!(await q.templates.get(t.id, c.templateId))) throw DomainError.field('templateId', `template ${c.templateId} does not exist`);
      if (c.packageId && !(await q.packages.get(t.id, c.packageId))) throw DomainError.field('packageId', `package ${c.packageId} does not exist`);
      if (c.chatId && !(await q.catalog.getChat(t.id, c.chatId))) throw DomainError.field('chatId', `chat ${c.chatId} does not exist`);
      if (c.ownerType === 'user') await q.catalog.ensureUser(t.id, c.ownerId, now);
      else await q.catalog.ensureNamed('operators', t.id, { id: c.ownerId, name: c.ownerId }, now);
      const validFrom = parseDateOrInstant(c.validFrom, tz, 'start', 'validFrom');
      const validTo = parseDateOrInstant(c.validTo, tz, 'end', 'validTo');
      if (validTo < validFrom) throw DomainError.field('validTo', 'must not be before validFrom');
      const issuedAt = parseDateOrInstant(c.issuedAt, tz, 'start', 'issuedAt');
      coupons.push({
        tenantId: t.id,
        id: c.id,
        code: c.code,
        templateId: c.templateId,
        ownerType: c.ownerType,
        ownerId: c.ownerId,
        senderId: c.senderId ?? null,
        chatId: c.chatId ?? null,
        packageId: c.packageId ?? null,
        status: c.status,
        validFrom,
        validTo,
        issuedAt,
        updatedAt: c.updatedAt ? parseDateOrInstant(c.updatedAt, tz, 'start', 'updatedAt') : issuedAt,
      });
    });
  }
  let done = 0;
  for (let i = 0; i < coupons.length; i += 2000) {
    const chunk = coupons.slice(i, i + 2000);
    try {
      done += await q.coupons.insertKept(chunk);
    } catch (e) {
      if (!q.coupons.isUniqueViolation(e)) throw e;
      throw DomainError.field(`${path}.coupons`, 'two coupons share a code (codes are unique per tenant)');
    }
    progress(chunk.length);
  }
  return done;
}

/** Who received which package (export carries them, so per-user package limits survive). */
async function importReceipts(q: Queries, t: TenantData, tz: string, path: string, now: number): Promise<void> {
  const known = new Set<string>();
  for (const [i, r] of (t.receipts ?? []).entries()) {
    await at(`${path}.receipts.${i}`, async () => {
      if (!known.has(r.packageId)) {
        if (!(await q.packages.get(t.id, r.packageId))) throw DomainError.field('packageId', `package ${r.packageId} does not exist`);
        known.add(r.packageId);
      }
      await q.catalog.ensureUser(t.id, r.userId, now);
      const createdAt = parseDateOrInstant(r.createdAt, tz, 'start', 'createdAt');
      await q.packages.insertReceiptKept({ tenantId: t.id, id: r.id, packageId: r.packageId, userId: r.userId, receiptCode: r.receiptCode, createdAt });
    });
  }
}

async function importRedemptions(q: Queries, t: TenantData, tz: string, path: string): Promise<number> {
  let n = 0;
  for (const [i, r] of (t.redemptions ?? []).entries()) {
    n += await at(`${path}.redemptions.${i}`, async () => {
      const c = await q.coupons.get(t.id, r.couponId);
      if (!c) throw DomainError.field('couponId', `coupon ${r.couponId} does not exist`);
      if (await q.redemptions.get(t.id, r.id)) return 0;
      if (r.status === 'active' && (await q.redemptions.listForCoupon(t.id, c.id)).some((x) => x.status === 'active')) {
        throw DomainError.field('couponId', `coupon ${c.id} already has an active redemption; a coupon is redeemed once until that is reversed`);
      }
      await q.redemptions.insert({
        tenantId: t.id,
        id: r.id,
        couponId: c.id,
        code: c.code,
        orderId: r.orderId,
        orderAmount: r.orderAmount,
        discountAmount: r.discountAmount,
        status: r.status,
        createdAt: parseDateOrInstant(r.createdAt, tz, 'start', 'createdAt'),
        reversedAt: r.reversedAt ? parseDateOrInstant(r.reversedAt, tz, 'start', 'reversedAt') : null,
      });
      return 1;
    });
  }
  return n;
}

/** Validates the whole document first, then writes it in one transaction. */
export async function importDataset(deps: Deps, doc: unknown, options: ImportOptions): Promise<ImportSummary> {
  checkDataset(doc);
  const data = doc as Dataset;
  const problems = datasetProblems(data);
  data.tenants.forEach((t, i) => {
    if (t.timezone !== undefined && !isValidTimeZone(t.timezone)) problems.push({ field: `tenants.${i}.timezone`, message: `unknown IANA time zone ${JSON.stringify(t.timezone)}` });
  });
  if (problems.length > 0) throw DomainError.invalid(problems);
  const total = data.tenants.reduce((n, t) => n + (t.coupons?.length ?? 0), 0);
  // The store may run the transaction again (PostgreSQL deadlock): each run counts afresh.
  const summary = await deps.store.transaction(async (q) => {
    const summary: ImportSummary = { tenants: 0, credentials: 0, templates: 0, packages: 0, coupons: 0, redemptions: 0 };
    let progressed = 0;
    const now = deps.clock.now();
    for (const [i, t] of data.tenants.entries()) {
      const path = `tenants.${i}`;
      if (await q.tenants.insert({ id: t.id, name: t.name, timezone: t.timezone ?? 'Asia/Shanghai', servicePhone: t.servicePhone ?? '', createdAt: now })) summary.tenants++;
      const tz = (await q.tenants.get(t.id))?.timezone ?? 'Asia/Shanghai';
      summary.credentials += await importCredentials(q, deps, t, path, now);
      await importCatalog(q, t, path, now);
      const templates = await importTemplates(q, deps, t, tz, path, now);
      summary.templates += templates.length;
      const packages = await importPackages(q, deps, t, tz, path, now);
      summary.packages += packages.length;
      summary.coupons += await importCoupons(q, t, tz, path, now, (n) => {
        progressed += n;
        options.onProgress?.(progressed, total);
      });
      await importReceipts(q, t, tz, path, now);
      await rebuildCounters(q, t, path, touchedBy(t, { templateIds: templates.map((x) => x.id), packageIds: packages.map((x) => x.id) }));
      summary.redemptions += await importRedemptions(q, t, tz, path);
      if (summary.tenants + summary.templates + summary.coupons > 0) {
        await q.events.append([{ tenantId: t.id, at: now, actor: options.actor, action: 'dataset.imported', subjectType: 'tenant', subjectId: t.id, data: { ...summary } }]);
      }
    }
    return summary;
  });
  await deps.store.refreshStatistics();
  return summary;
}
