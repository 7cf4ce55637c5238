/** Turning what a merchant sends (partial, with defaults) into complete template data. */
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { DEFAULT_RULE, type TemplateData, type TemplateKind, type TemplateRule } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';
import { DISPLAY_LIMITS, DisplaySchema } from '../schemas/fields.ts';
import { compileCheck } from '../schemas/problems.ts';

export interface TemplateInput {
  name?: string | undefined;
  kind?: TemplateKind | undefined;
  amount?: number | null | undefined;
  discount?: number | null | undefined;
  themeId?: string | null | undefined;
  sort?: number | undefined;
  rule?: Partial<TemplateRule> | undefined;
  stock?: number | null | undefined;
  perUserLimit?: number | null | undefined;
  claimFrom?: string | null | undefined;
  claimTo?: string | null | undefined;
  display?: Record<string, unknown> | undefined;
}

const checkDisplaySchema = compileCheck(DisplaySchema, 'display');

/** Deepest level a value may sit at: display.a.b.c is level 3 and holds only text, numbers, true/false, null. */
const DISPLAY_DEPTH = 3;

/**
 * The limits again, by walking the value itself: a JSON Schema reaches a key only through a
 * pattern, and a pattern that misses some keys (as `^.*$` missed "brand\n") lets their values
 * through unchecked. This visits every key and item whatever its name.
 */
/** Characters as JSON Schema's maxLength counts them (code points: an emoji is one), not UTF-16 units. */
function longerThan(s: string, limit: number): boolean {
  if (s.length <= limit) return false;
  let n = 0;
  for (const _ of s) if (++n > limit) return true;
  return false;
}

function displayProblems(value: unknown, field: string, level: number, out: FieldProblem[]): void {
  if (typeof value === 'string') {
    if (longerThan(value, DISPLAY_LIMITS.text)) out.push({ field, message: `must not be more than ${DISPLAY_LIMITS.text} characters` });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (level >= DISPLAY_DEPTH) {
    out.push({ field, message: 'must be either string or number or boolean or null (display nests two levels below a key)' });
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > DISPLAY_LIMITS.items) out.push({ field, message: `must not have more than ${DISPLAY_LIMITS.items} items` });
    value.forEach((v, i) => displayProblems(v, `${field}.${i}`, level + 1, out));
    return;
  }
  const entries = Object.entries(value);
  if (entries.length > DISPLAY_LIMITS.keys) out.push({ field, message: `must not have more than ${DISPLAY_LIMITS.keys} properties` });
  for (const [k, v] of entries) {
    if (longerThan(k, DISPLAY_LIMITS.keyLength)) out.push({ field: `${field}.${k}`, message: `key must not be more than ${DISPLAY_LIMITS.keyLength} characters` });
    displayProblems(v, `${field}.${k}`, level + 1, out);
  }
}

/**
 * The display limits for every way a template arrives (native API, data set import, ticket
 * administration), not only where a route schema checks them; plus a total size no per-field
 * limit bounds. Only a display being set is checked: one stored before these limits stays readable.
 */
export function checkDisplay(display: Record<string, unknown>): void {
  checkDisplaySchema(display);
  const problems: FieldProblem[] = [];
  displayProblems(display, 'display', 0, problems);
  if (problems.length > 0) throw DomainError.invalid(problems);
  const bytes = Buffer.byteLength(JSON.stringify(display), 'utf8');
  if (bytes > DISPLAY_LIMITS.bytes) throw DomainError.field('display', `is ${bytes} bytes as JSON; at most ${DISPLAY_LIMITS.bytes} are allowed`);
}

const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

/** Applies an input over a base (the stored template on update, defaults on create). */
export function mergeTemplate(base: TemplateData | null, input: TemplateInput): TemplateData {
  if (!base && (input.name === undefined || input.kind === undefined)) {
    const errors = [];
    if (input.name === undefined) errors.push({ field: 'name', message: 'is required' });
    if (input.kind === undefined) errors.push({ field: 'kind', message: 'is required' });
    throw DomainError.invalid(errors);
  }
  if (input.display !== undefined) checkDisplay(input.display);
  const rule: TemplateRule = { ...(base?.rule ?? DEFAULT_RULE) };
  for (const [k, v] of Object.entries(input.rule ?? {})) if (v !== undefined) (rule as unknown as Record<string, unknown>)[k] = v;
  return {
    name: pick(input.name, base?.name ?? ''),
    kind: pick(input.kind, base?.kind ?? 'cash'),
    amount: pick(input.amount, base?.amount ?? null),
    discount: pick(input.discount, base?.discount ?? null),
    themeId: pick(input.themeId, base?.themeId ?? null),
    sort: pick(input.sort, base?.sort ?? 1000),
    rule,
    stock: pick(input.stock, base?.stock ?? null),
    perUserLimit: pick(input.perUserLimit, base?.perUserLimit ?? null),
    claimFrom: pick(input.claimFrom, base?.claimFrom ?? null),
    claimTo: pick(input.claimTo, base?.claimTo ?? null),
    display: pick(input.display, base?.display ?? {}),
  };
}

/** Refuses references to a theme, product kinds or channels the tenant does not have. */
export async function checkTemplateReferences(q: Queries, tenantId: string, t: TemplateData): Promise<void> {
  const errors = [];
  if (t.themeId !== null && (await q.catalog.missingNamed('themes', tenantId, [t.themeId])).length > 0) {
    errors.push({ field: 'themeId', message: `theme ${t.themeId} does not exist` });
  }
  for (const id of await q.catalog.missingNamed('product_kinds', tenantId, t.rule.productKindIds)) {
    errors.push({ field: `rule.productKindIds.${t.rule.productKindIds.indexOf(id)}`, message: `product kind ${id} does not exist` });
  }
  for (const id of await q.catalog.missingNamed('channels', tenantId, t.rule.channelIds)) {
    errors.push({ field: `rule.channelIds.${t.rule.channelIds.indexOf(id)}`, message: `channel ${id} does not exist` });
  }
  if (errors.length > 0) throw new DomainError(ErrorCode.validation_failed, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}
