import type { Actor } from '../../domain/catalog.ts';
import { insertRows } from './bulk.ts';
import type { Executor } from './index.ts';
import { parseJson, toJson } from './json.ts';

/** One entry of the append-only trail: who did what to which thing, when, and what changed. */
export interface EventRecord {
  seq: number;
  tenantId: string;
  at: number;
  actor: Actor;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

export type NewEvent = Omit<EventRecord, 'seq'>;

/** An event as its row (without `seq`, which the database assigns). */
export const eventRow = (e: NewEvent) => ({
  tenant_id: e.tenantId,
  at: e.at,
  actor_type: e.actor.type,
  actor_id: e.actor.id,
  action: e.action,
  subject_type: e.subjectType,
  subject_id: e.subjectId,
  data: toJson(e.data),
});

export class EventQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Appends events (never updated, never deleted). */
  async append(events: NewEvent[]): Promise<void> {
    await insertRows(
      this.#db,
      'events',
      events.map(eventRow),
    );
  }

  async list(tenantId: string, filter: { subjectType?: string | undefined; subjectId?: string | undefined; action?: string | undefined }, afterSeq: number, limit: number): Promise<EventRecord[]> {
    let q = this.#db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('seq', '>', afterSeq);
    if (filter.subjectType) q = q.where('subject_type', '=', filter.subjectType);
    if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
    if (filter.action) q = q.where('action', '=', filter.action);
    const rows = await q.orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      tenantId: r.tenant_id,
      at: r.at,
      actor: { type: r.actor_type as Actor['type'], id: r.actor_id },
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      data: parseJson<Record<string, unknown>>(r.data, {}),
    }));
  }
}
