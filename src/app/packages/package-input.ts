import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import type { AliasCodeType, PackageData, PackageItem, PackageRule } from '../../domain/package.ts';
import type { Queries } from '../../store/store.ts';

export interface PackageInput {
  name?: string | undefined;
  alias?: string | undefined;
  aliasCodeType?: AliasCodeType | undefined;
  channelIds?: string[] | undefined;
  remark?: string | null | undefined;
  url?: string | null | undefined;
  rule?: Partial<PackageRule> | undefined;
  items?: PackageItem[] | undefined;
}

const DEFAULT_RULE: PackageRule = { receiveFrom: null, receiveTo: null, totalLimit: null, perUserLimit: null };

export function mergePackage(base: PackageData | null, input: PackageInput): PackageData {
  if (!base) {
    const errors: FieldProblem[] = [];
    if (input.name === undefined) errors.push({ field: 'name', message: 'is required' });
    if (input.items === undefined) errors.push({ field: 'items', message: 'is required' });
    if (errors.length > 0) throw DomainError.invalid(errors);
  }
  const rule: PackageRule = { ...(base?.rule ?? DEFAULT_RULE) };
  for (const [k, v] of Object.entries(input.rule ?? {})) if (v !== undefined) (rule as unknown as Record<string, unknown>)[k] = v;
  const name = input.name ?? base?.name ?? '';
  return {
    name,
    alias: input.alias ?? base?.alias ?? name,
    aliasCodeType: input.aliasCodeType ?? base?.aliasCodeType ?? 'shared',
    channelIds: input.channelIds ?? base?.channelIds ?? [],
    remark: input.remark === undefined ? (base?.remark ?? null) : input.remark,
    url: input.url === undefined ? (base?.url ?? null) : input.url,
    rule,
    items: input.items ?? base?.items ?? [],
  };
}

/** Refuses unknown channels and templates, and archived templates. */
export async function checkPackageReferences(q: Queries, tenantId: string, p: PackageData): Promise<void> {
  const errors: FieldProblem[] = [];
  for (const id of await q.catalog.missingNamed('channels', tenantId, p.channelIds)) {
    errors.push({ field: `channelIds.${p.channelIds.indexOf(id)}`, message: `channel ${id} does not exist` });
  }
  const found = new Map((await q.templates.getMany(tenantId, p.items.map((i) => i.templateId))).map((t) => [t.id, t]));
  p.items.forEach((item, i) => {
    const t = found.get(item.templateId);
    if (!t) errors.push({ field: `items.${i}.templateId`, message: `template ${item.templateId} does not exist` });
    else if (t.status !== 'active') errors.push({ field: `items.${i}.templateId`, message: `template ${item.templateId} is ${t.status}` });
  });
  if (errors.length > 0) throw new DomainError(ErrorCode.validation_failed, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}
