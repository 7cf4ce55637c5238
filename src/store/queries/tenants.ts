import type { Tenant } from '../../domain/catalog.ts';
import type { Executor } from './index.ts';
import type { TenantsTable } from '../schema.ts';

const toTenant = (r: TenantsTable): Tenant => ({
  id: r.id,
  name: r.name,
  timezone: r.timezone,
  servicePhone: r.service_phone,
  createdAt: r.created_at,
});

export class TenantQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Inserts; false when the id exists already. */
  async insert(t: Tenant): Promise<boolean> {
    const r = await this.#db
      .insertInto('tenants')
      .values({ id: t.id, name: t.name, timezone: t.timezone, service_phone: t.servicePhone, template_seq: 0, created_at: t.createdAt, updated_at: t.createdAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const r = await this.#db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toTenant(r);
  }

  async list(limit: number, after: string | null): Promise<Tenant[]> {
    let q = this.#db.selectFrom('tenants').selectAll().orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return (await q.execute()).map(toTenant);
  }

  async update(id: string, patch: { name?: string; servicePhone?: string }, now: number): Promise<void> {
    await this.#db
      .updateTable('tenants')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.servicePhone !== undefined ? { service_phone: patch.servicePhone } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Next per-tenant template number (atomic counter on the tenant row). */
  async nextTemplateNumber(id: string): Promise<number> {
    const r = await this.#db
      .updateTable('tenants')
      .set((eb) => ({ template_seq: eb('template_seq', '+', 1) }))
      .where('id', '=', id)
      .returning('template_seq')
      .executeTakeFirstOrThrow();
    return r.template_seq;
  }

  /** Keeps the counter above numbers given explicitly (imports). */
  async raiseTemplateNumber(id: string, atLeast: number): Promise<void> {
    await this.#db.updateTable('tenants').set({ template_seq: atLeast }).where('id', '=', id).where('template_seq', '<', atLeast).execute();
  }
}
