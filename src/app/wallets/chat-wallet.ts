/**
 * Whose coupons a chat shows. The native API (GET /v1/chats/{id}/coupons) and OP v2
 * (getMergeTicketUsersByChatId) both ask; the rule lives here once.
 */
import type { Chat } from '../../domain/catalog.ts';
import type { OwnerType } from '../../domain/coupon.ts';
import { getChat } from '../catalog/catalog.ts';
import type { Deps } from '../ports.ts';
import type { WalletQuery } from './wallet.ts';

export type WalletOwner = Pick<WalletQuery, 'ownerType' | 'ownerId' | 'chatId'>;

/**
 * The chat (not_found when the tenant has none by that id) and the wallet it stands for: its
 * user's coupons in that chat, or its operator's holdings — all of them, since an operator holds
 * coupons outside any chat until sending one into it.
 */
export async function chatWallet(deps: Deps, tenantId: string, chatId: string, ownerType: OwnerType): Promise<{ chat: Chat; owner: WalletOwner }> {
  const chat = await knownChat(deps, tenantId, chatId);
  const owner: WalletOwner = ownerType === 'operator' ? { ownerType, ownerId: chat.operatorId } : { ownerType, ownerId: chat.userId, chatId: chat.id };
  return { chat, owner };
}

/** Chats found, per store. A chat never changes once opened (putChat refuses other members). */
const MAX_CHATS = 10_000;
const chats = new WeakMap<object, Map<string, Chat>>();

async function knownChat(deps: Deps, tenantId: string, chatId: string): Promise<Chat> {
  let known = chats.get(deps.store);
  if (!known) chats.set(deps.store, (known = new Map()));
  const key = `${tenantId}\u0000${chatId}`;
  const hit = known.get(key);
  if (hit) return hit;
  // Not found is not remembered: the chat may be opened a moment later.
  const chat = await getChat(deps, tenantId, chatId);
  if (known.size >= MAX_CHATS) known.clear();
  known.set(key, chat);
  return chat;
}
