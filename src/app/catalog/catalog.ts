/** The tenant's catalog: product kinds, channels, themes, operators; users and chats. */
import type { Actor, Chat, Named, User } from '../../domain/catalog.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { NamedKind } from '../../store/queries/catalog.ts';
import { requireTenant } from '../context.ts';
import type { Deps } from '../ports.ts';

export type { NamedKind };

const SUBJECT: Record<NamedKind, string> = { product_kinds: 'product_kind', channels: 'channel', themes: 'theme', operators: 'operator' };

/** Creates or renames a product kind, channel, theme or operator. */
export async function putNamed(deps: Deps, input: { tenantId: string; actor: Actor; kind: NamedKind; item: Named }): Promise<Named> {
  if (input.item.name.trim() === '') throw DomainError.field('name', 'must not be empty');
  const now = deps.clock.now();
  return deps.store.transaction(async (q) => {
    await requireTenant(q, input.tenantId);
    await q.catalog.upsertNamed(input.kind, input.tenantId, input.item, now);
    await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: `${SUBJECT[input.kind]}.saved`, subjectType: SUBJECT[input.kind], subjectId: input.item.id, data: { name: input.item.name } }]);
    return input.item;
  });
}

export async function listNamed(deps: Deps, tenantId: string, kind: NamedKind): Promise<Named[]> {
  return deps.store.q.catalog.listNamed(kind, tenantId);
}

export async function getUser(deps: Deps, tenantId: string, userId: string): Promise<User> {
  const u = await deps.store.q.catalog.getUser(tenantId, userId);
  if (!u) throw DomainError.notFound('user', userId);
  return u;
}

/** Creates a user if new and links platform ids (such as WeChat openids) to it. */
export async function putUser(deps: Deps, input: { tenantId: string; actor: Actor; userId: string; platformIds: string[] }): Promise<User> {
  const now = deps.clock.now();
  return deps.store.transaction(async (q) => {
    await requireTenant(q, input.tenantId);
    await q.catalog.ensureUser(input.tenantId, input.userId, now);
    for (const [i, pid] of input.platformIds.entries()) {
      if (!(await q.catalog.linkPlatformId(input.tenantId, input.userId, pid))) {
        throw new DomainError(ErrorCode.already_exists, `platformIds.${i}: ${pid} belongs to another user`, { errors: [{ field: `platformIds.${i}`, message: 'belongs to another user' }] });
      }
    }
    await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'user.saved', subjectType: 'user', subjectId: input.userId, data: { platformIds: input.platformIds } }]);
    const u = await q.catalog.getUser(input.tenantId, input.userId);
    if (!u) throw DomainError.notFound('user', input.userId);
    return u;
  });
}

export async function getChat(deps: Deps, tenantId: string, chatId: string): Promise<Chat> {
  const c = await deps.store.q.catalog.getChat(tenantId, chatId);
  if (!c) throw DomainError.notFound('chat', chatId);
  return c;
}

/** Opens a chat between a user and an operator (both created on first use). */
export async function putChat(deps: Deps, input: { tenantId: string; actor: Actor; chat: Chat }): Promise<Chat> {
  const now = deps.clock.now();
  return deps.store.transaction(async (q) => {
    await requireTenant(q, input.tenantId);
    const existing = await q.catalog.getChat(input.tenantId, input.chat.id);
    if (existing) {
      if (existing.userId !== input.chat.userId || existing.operatorId !== input.chat.operatorId) {
        throw new DomainError(ErrorCode.already_exists, `chat ${input.chat.id} exists between user ${existing.userId} and operator ${existing.operatorId}`);
      }
      return existing;
    }
    await q.catalog.ensureUser(input.tenantId, input.chat.userId, now);
    await q.catalog.ensureNamed('operators', input.tenantId, { id: input.chat.operatorId, name: input.chat.operatorId }, now);
    await q.catalog.insertChat(input.tenantId, input.chat, now);
    await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'chat.opened', subjectType: 'chat', subjectId: input.chat.id, data: { ...input.chat } }]);
    return input.chat;
  });
}
