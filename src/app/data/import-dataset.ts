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
import { rebuildUserCounts } from '../claims/user-counts.ts';
import { buildCredential } from '../credentials/create-credential.ts';
import { checkPackageReferences, mergePackage } from '../packages/package-input.ts';
import type { Deps } from '../ports.ts';
import { compileCheck } from '../schemas/problems.ts';
import { checkTemplateReferences, mergeTemplate } from '../templates/template-input.ts';
import { DatasetSchema, type Dataset, type TenantData } from './dataset.ts';

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

async function importTemplates(q: Queries, deps: Deps, t: TenantData, tz: string, path: string, now: number): Promise<Template[]> {
  const inserted: Template[] = [];
  for (const [i, item] of (t.templates ?? []).entries()) {
    await at(`${path}.templates.${i}`, async () => {
      const data = mergeTemplate(null, item);
      validateTemplateData(data);
      await checkTemplateReferences(q, t.id, data);
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
      if (await q.templates.insert(tpl, item.extra ?? {})) {
        await q.tenants.raiseTemplateNumber(t.id, number);
        inserted.push(tpl);
      }
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

/** Brings stock and limit counters in line with the coupons of templates this import created. */
async function rebuildCounters(q: Queries, t: TenantData, path: string, templates: Template[]): Promise<void> {
  if (templates.length === 0) return;
  const issued = await q.coupons.issuedPerTemplate(t.id);
  for (const tpl of templates) {
    const claimed = Math.max(tpl.claimed, issued.get(tpl.id) ?? 0);
    if (tpl.stock !== null && claimed > tpl.stock) {
      const i = (t.templates ?? []).findIndex((x) => x.id === tpl.id);
      throw DomainError.field(`${path}.templates.${i}.stock`, `is ${tpl.stock} but ${claimed} coupons of this template exist`);
    }
    await q.templates.setClaimed(t.id, tpl.id, claimed);
  }
  for (const tpl of templates) if (tpl.perUserLimit !== null) await rebuildUserCounts(q, t.id, tpl.id);
}

async function importRedemptions(q: Queries, t: TenantData, tz: string, path: string): Promise<number> {
  let n = 0;
  for (const [i, r] of (t.redemptions ?? []).entries()) {
    n += await at(`${path}.redemptions.${i}`, async () => {
      const c = await q.coupons.get(t.id, r.couponId);
      if (!c) throw DomainError.field('couponId', `coupon ${r.couponId} does not exist`);
      if (await q.redemptions.get(t.id, r.id)) return 0;
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
  data.tenants.forEach((t, i) => {
    if (t.timezone !== undefined && !isValidTimeZone(t.timezone)) throw DomainError.field(`tenants.${i}.timezone`, `unknown IANA time zone ${JSON.stringify(t.timezone)}`);
  });
  const total = data.tenants.reduce((n, t) => n + (t.coupons?.length ?? 0), 0);
  let progressed = 0;
  const summary: ImportSummary = { tenants: 0, credentials: 0, templates: 0, packages: 0, coupons: 0, redemptions: 0 };
  await deps.store.transaction(async (q) => {
    const now = deps.clock.now();
    for (const [i, t] of data.tenants.entries()) {
      const path = `tenants.${i}`;
      if (await q.tenants.insert({ id: t.id, name: t.name, timezone: t.timezone ?? 'Asia/Shanghai', servicePhone: t.servicePhone ?? '', createdAt: now })) summary.tenants++;
      const tz = (await q.tenants.get(t.id))?.timezone ?? 'Asia/Shanghai';
      summary.credentials += await importCredentials(q, deps, t, path, now);
      await importCatalog(q, t, path, now);
      const templates = await importTemplates(q, deps, t, tz, path, now);
      summary.templates += templates.length;
      summary.packages += (await importPackages(q, deps, t, tz, path, now)).length;
      summary.coupons += await importCoupons(q, t, tz, path, now, (n) => {
        progressed += n;
        options.onProgress?.(progressed, total);
      });
      await rebuildCounters(q, t, path, templates);
      summary.redemptions += await importRedemptions(q, t, tz, path);
      if (summary.tenants + summary.templates + summary.coupons > 0) {
        await q.events.append([{ tenantId: t.id, at: now, actor: options.actor, action: 'dataset.imported', subjectType: 'tenant', subjectId: t.id, data: { ...summary } }]);
      }
    }
  });
  return summary;
}
