/**
 * Gift packages (礼包): several templates handed out together, behind a review workflow
 * pending_review → in_review → rejected | ready → published → closed, and deleted.
 */
import { DomainError, ErrorCode, type FieldProblem } from './errors.ts';
import { endOfLocalDay, parseDate, startOfLocalDay } from './time.ts';

export const PackageStatus = {
  pending_review: 'pending_review',
  in_review: 'in_review',
  rejected: 'rejected',
  ready: 'ready',
  published: 'published',
  closed: 'closed',
  deleted: 'deleted',
} as const;
export type PackageStatus = (typeof PackageStatus)[keyof typeof PackageStatus];
export const PACKAGE_STATUSES = Object.values(PackageStatus);

export const AliasCodeType = { unique: 'unique', shared: 'shared' } as const;
export type AliasCodeType = (typeof AliasCodeType)[keyof typeof AliasCodeType];

export interface PackageRule {
  receiveFrom: string | null;
  receiveTo: string | null;
  /** Receipts of the package by everyone; null: unlimited. */
  totalLimit: number | null;
  /** Receipts per user; null: unlimited. */
  perUserLimit: number | null;
}

export interface PackageItem {
  templateId: string;
  count: number;
}

export interface PackageData {
  name: string;
  alias: string;
  aliasCodeType: AliasCodeType;
  channelIds: string[];
  remark: string | null;
  url: string | null;
  rule: PackageRule;
  items: PackageItem[];
}

export interface GiftPackage extends PackageData {
  tenantId: string;
  id: string;
  code: string;
  status: PackageStatus;
  createdBy: string | null;
  /** Last actor who changed the package. */
  operatorId: string | null;
  examinerId: string | null;
  suggestion: string | null;
  receiveFromMs: number | null;
  receiveToMs: number | null;
  claimed: number;
  createdAt: number;
  updatedAt: number;
}

export const PackageMove = {
  submit: 'submit',
  approve: 'approve',
  reject: 'reject',
  publish: 'publish',
  close: 'close',
  delete: 'delete',
} as const;
export type PackageMove = (typeof PackageMove)[keyof typeof PackageMove];

/**
 * The review workflow: pending_review → in_review → rejected | ready → published → closed.
 * A rejected package may be submitted again once edited (what the reviewer's suggestion is for).
 * Only a published package closes; an approved one never published is deleted instead.
 * Deletion ends a package that is not live: never while in review or published (close it first).
 */
const MOVES: Record<PackageMove, { from: readonly PackageStatus[]; to: PackageStatus }> = {
  submit: { from: [PackageStatus.pending_review, PackageStatus.rejected], to: PackageStatus.in_review },
  approve: { from: [PackageStatus.in_review], to: PackageStatus.ready },
  reject: { from: [PackageStatus.in_review], to: PackageStatus.rejected },
  publish: { from: [PackageStatus.ready], to: PackageStatus.published },
  close: { from: [PackageStatus.published], to: PackageStatus.closed },
  delete: { from: [PackageStatus.pending_review, PackageStatus.rejected, PackageStatus.ready, PackageStatus.closed], to: PackageStatus.deleted },
};

/** Statuses in which a package's contents may still be edited. */
export const EDITABLE_STATUSES: readonly PackageStatus[] = [PackageStatus.pending_review, PackageStatus.rejected];

/** The status a move leads to; refuses an illegal move with illegal_transition. */
export function nextPackageStatus(p: Pick<GiftPackage, 'id' | 'status'>, move: PackageMove): PackageStatus {
  const rule = MOVES[move];
  if (!rule.from.includes(p.status)) {
    throw new DomainError(ErrorCode.illegal_transition, `cannot ${move} package ${p.id}: it is ${p.status} (allowed from ${rule.from.join(', ')})`, {
      currentStatus: p.status,
      move,
    });
  }
  return rule.to;
}

const MAX_ITEM_COUNT = 1000;

export function validatePackageData(p: PackageData): void {
  const problems: FieldProblem[] = [];
  if (p.name.trim() === '') problems.push({ field: 'name', message: 'must not be empty' });
  if (!Object.values(AliasCodeType).includes(p.aliasCodeType)) problems.push({ field: 'aliasCodeType', message: 'must be unique or shared' });
  for (const f of ['receiveFrom', 'receiveTo'] as const) {
    const v = p.rule[f];
    if (v !== null && !parseDate(v)) problems.push({ field: `rule.${f}`, message: `must be a calendar date yyyy-MM-dd, got ${JSON.stringify(v)}` });
  }
  if (p.rule.receiveFrom && p.rule.receiveTo && p.rule.receiveFrom > p.rule.receiveTo) problems.push({ field: 'rule.receiveTo', message: 'must not be before rule.receiveFrom' });
  for (const f of ['totalLimit', 'perUserLimit'] as const) {
    const v = p.rule[f];
    if (v !== null && (!Number.isSafeInteger(v) || v < 1 || v > 1_000_000_000)) problems.push({ field: `rule.${f}`, message: 'must be an integer from 1 to 1000000000, or null for no limit' });
  }
  if (p.items.length === 0) problems.push({ field: 'items', message: 'a package needs at least one template' });
  const seen = new Set<string>();
  p.items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.count) || item.count < 1 || item.count > MAX_ITEM_COUNT) {
      problems.push({ field: `items.${i}.count`, message: `must be an integer from 1 to ${MAX_ITEM_COUNT}` });
    }
    if (seen.has(item.templateId)) problems.push({ field: `items.${i}.templateId`, message: `template ${item.templateId} is listed twice` });
    seen.add(item.templateId);
  });
  if (problems.length > 0) throw DomainError.invalid(problems);
}

export function packageWindow(p: PackageData, timeZone: string): { receiveFromMs: number | null; receiveToMs: number | null } {
  return {
    receiveFromMs: p.rule.receiveFrom ? startOfLocalDay(p.rule.receiveFrom, timeZone, 'rule.receiveFrom') : null,
    receiveToMs: p.rule.receiveTo ? endOfLocalDay(p.rule.receiveTo, timeZone, 'rule.receiveTo') : null,
  };
}

/** Why the package cannot be received now, or null. */
export function packageClaimRefusal(p: GiftPackage, now: number): string | null {
  if (p.status !== PackageStatus.published) return `package ${p.id} is ${p.status}, not published`;
  if (p.receiveFromMs !== null && now < p.receiveFromMs) return `package ${p.id} can be received from ${p.rule.receiveFrom}`;
  if (p.receiveToMs !== null && now > p.receiveToMs) return `package ${p.id} could be received until ${p.rule.receiveTo}`;
  return null;
}
