import type { Coupon } from '../../domain/coupon.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { batcherFor } from './claim-batcher.ts';
import { claimInTransaction } from './claim-one.ts';

export interface ClaimTemplateInput extends TenantInput {
  templateId: string;
  userId: string;
  /** The chat the coupon is claimed in, if any (must be the user's). */
  chatId?: string | null | undefined;
}

/**
 * Claims one coupon of a template for a user (created on first use). Claims without a chat go
 * through the group-commit batcher; the answer is the same as if each ran alone.
 */
export async function claimTemplate(deps: Deps, input: ClaimTemplateInput): Promise<Coupon> {
  if (input.chatId) return deps.store.transaction((q) => claimInTransaction(q, deps.ids, input, deps.clock.now()));
  return batcherFor(deps).submit({ tenantId: input.tenantId, templateId: input.templateId, userId: input.userId, actor: input.actor });
}
