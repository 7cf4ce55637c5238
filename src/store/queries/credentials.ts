import type { ApiRole, Credential, CredentialKind } from '../../domain/credential.ts';
import type { CredentialsTable } from '../schema.ts';
import type { Executor } from './index.ts';

const toCredential = (r: CredentialsTable): Credential => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind as CredentialKind,
  role: r.role as ApiRole | null,
  keyHint: r.key_hint,
  publicId: r.public_id,
  secret: r.secret,
  grantCode: r.grant_code,
  channel: r.channel,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export class CredentialQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Inserts; false when the id exists. A clash on key hash or public id throws (unique index). */
  async insert(c: Credential, keyHash: string | null): Promise<boolean> {
    const r = await this.#db
      .insertInto('credentials')
      .values({
        id: c.id,
        tenant_id: c.tenantId,
        kind: c.kind,
        role: c.role,
        key_hash: keyHash,
        key_hint: c.keyHint,
        public_id: c.publicId,
        secret: c.secret,
        grant_code: c.grantCode,
        channel: c.channel,
        label: c.label,
        created_at: c.createdAt,
        revoked_at: c.revokedAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<Credential | undefined> {
    const r = await this.#db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toCredential(r);
  }

  async byKeyHash(hash: string): Promise<Credential | undefined> {
    const r = await this.#db.selectFrom('credentials').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    return r && toCredential(r);
  }

  /** The live credential of a kind by its public id (op client, crm channel, zv openId). */
  async byPublicId(kind: CredentialKind, publicId: string): Promise<Credential | undefined> {
    const r = await this.#db
      .selectFrom('credentials')
      .selectAll()
      .where('kind', '=', kind)
      .where('public_id', '=', publicId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return r && toCredential(r);
  }

  async listForTenant(tenantId: string, includeRevoked: boolean): Promise<Credential[]> {
    let q = this.#db.selectFrom('credentials').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id');
    if (!includeRevoked) q = q.where('revoked_at', 'is', null);
    return (await q.execute()).map(toCredential);
  }

  /** Every credential with its key hash, for export. */
  async exportForTenant(tenantId: string): Promise<Array<Credential & { keyHash: string | null }>> {
    const rows = await this.#db.selectFrom('credentials').selectAll().where('tenant_id', '=', tenantId).where('revoked_at', 'is', null).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ ...toCredential(r), keyHash: r.key_hash }));
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const r = await this.#db.updateTable('credentials').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
