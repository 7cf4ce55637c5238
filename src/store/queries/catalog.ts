import type { Chat, Named, User } from '../../domain/catalog.ts';
import { insertRows } from './bulk.ts';
import type { Executor } from './index.ts';

export type NamedKind = 'product_kinds' | 'channels' | 'themes' | 'operators';

export class CatalogQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Inserts or renames. */
  async upsertNamed(table: NamedKind, tenantId: string, item: Named, now: number): Promise<void> {
    await this.#db
      .insertInto(table)
      .values({ tenant_id: tenantId, id: item.id, name: item.name, created_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet({ name: item.name }))
      .execute();
  }

  /** Inserts when missing (operators created on first use keep a name given later). */
  async ensureNamed(table: NamedKind, tenantId: string, item: Named, now: number): Promise<void> {
    await this.#db
      .insertInto(table)
      .values({ tenant_id: tenantId, id: item.id, name: item.name, created_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  }

  async listNamed(table: NamedKind, tenantId: string): Promise<Named[]> {
    return this.#db.selectFrom(table).select(['id', 'name']).where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  }

  async getNamed(table: NamedKind, tenantId: string, id: string): Promise<Named | undefined> {
    return this.#db.selectFrom(table).select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** Ids among `ids` that do not exist in the table for the tenant. */
  async missingNamed(table: NamedKind, tenantId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.#db.selectFrom(table).select('id').where('tenant_id', '=', tenantId).where('id', 'in', [...ids]).execute();
    const have = new Set(found.map((r) => r.id));
    return ids.filter((id) => !have.has(id));
  }

  async ensureUser(tenantId: string, userId: string, now: number): Promise<void> {
    await this.#db
      .insertInto('users')
      .values({ tenant_id: tenantId, id: userId, created_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  }

  /**
   * Creates the users that do not exist yet, in multi-row statements. The ids go in sorted: each
   * new row holds its key until commit, so two transactions inserting overlapping sets in opposite
   * orders (claim batches of two templates) would each wait for the other — a deadlock on
   * PostgreSQL. In one order the second simply waits for the first.
   */
  async ensureUsers(tenantId: string, userIds: readonly string[], now: number): Promise<void> {
    const unique = [...new Set(userIds)].sort();
    await insertRows(this.#db, 'users', unique.map((id) => ({ tenant_id: tenantId, id, created_at: now })), {
      tailKey: 'nothing',
      tail: (qb) => qb.onConflict((oc) => oc.columns(['tenant_id', 'id'] as never).doNothing()) as never,
    });
  }

  async getUser(tenantId: string, userId: string): Promise<User | undefined> {
    const u = await this.#db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
    if (!u) return undefined;
    const ids = await this.#db.selectFrom('user_platform_ids').select('platform_id').where('tenant_id', '=', tenantId).where('user_id', '=', userId).orderBy('platform_id').execute();
    return { id: u.id, platformIds: ids.map((r) => r.platform_id) };
  }

  async listUsers(tenantId: string): Promise<User[]> {
    const users = await this.#db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    const ids = await this.#db.selectFrom('user_platform_ids').select(['user_id', 'platform_id']).where('tenant_id', '=', tenantId).orderBy('platform_id').execute();
    const byUser = new Map<string, string[]>();
    for (const r of ids) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.platform_id]);
    return users.map((u) => ({ id: u.id, platformIds: byUser.get(u.id) ?? [] }));
  }

  /** The user holding a platform id (such as a WeChat openid). */
  async userByPlatformId(tenantId: string, platformId: string): Promise<string | undefined> {
    const r = await this.#db.selectFrom('user_platform_ids').select('user_id').where('tenant_id', '=', tenantId).where('platform_id', '=', platformId).executeTakeFirst();
    return r?.user_id;
  }

  /** Links a platform id to a user; false when another user holds it already. */
  async linkPlatformId(tenantId: string, userId: string, platformId: string): Promise<boolean> {
    await this.#db
      .insertInto('user_platform_ids')
      .values({ tenant_id: tenantId, platform_id: platformId, user_id: userId })
      .onConflict((oc) => oc.columns(['tenant_id', 'platform_id']).doNothing())
      .execute();
    return (await this.userByPlatformId(tenantId, platformId)) === userId;
  }

  async getChat(tenantId: string, chatId: string): Promise<Chat | undefined> {
    const r = await this.#db.selectFrom('chats').select(['id', 'user_id', 'operator_id']).where('tenant_id', '=', tenantId).where('id', '=', chatId).executeTakeFirst();
    return r && { id: r.id, userId: r.user_id, operatorId: r.operator_id };
  }

  async insertChat(tenantId: string, chat: Chat, now: number): Promise<void> {
    await this.#db
      .insertInto('chats')
      .values({ tenant_id: tenantId, id: chat.id, user_id: chat.userId, operator_id: chat.operatorId, created_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  }

  async listChats(tenantId: string): Promise<Chat[]> {
    const rows = await this.#db.selectFrom('chats').select(['id', 'user_id', 'operator_id']).where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, operatorId: r.operator_id }));
  }
}
