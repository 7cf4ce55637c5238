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
  const chat = await getChat(deps, tenantId, chatId);
  const owner: WalletOwner = ownerType === 'operator' ? { ownerType, ownerId: chat.operatorId } : { ownerType, ownerId: chat.userId, chatId: chat.id };
  return { chat, owner };
}
