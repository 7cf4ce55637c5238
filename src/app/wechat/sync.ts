/**
 * Use cases of the WeChat card sync queue: asking for a sync (inside the transaction that changed
 * the template, so a saved template is never left unqueued), reading its state, retrying by hand,
 * and finding the tenant's WeChat app.
 */
import { CredentialKind } from '../../domain/credential.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { SyncAttempt, SyncState, SyncView } from '../../store/queries/wechat-sync.ts';
import type { Queries } from '../../store/store.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';

export { SYNC_STATES, SyncState, type SyncView } from '../../store/queries/wechat-sync.ts';

/** Queues (or re-queues) the template for WeChat, in the caller's transaction. */
export async function requestSync(q: Queries, input: TenantInput & { templateId: string }, now: number): Promise<void> {
  await q.wechat.request({ tenantId: input.tenantId, templateId: input.templateId }, now);
  await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'template.wechat_sync_requested', subjectType: 'template', subjectId: input.templateId, data: {} }]);
}

/** The sync state of a template; 404 when it was never asked to sync. */
export async function getSync({ store }: Deps, tenantId: string, templateId: string): Promise<SyncView> {
  const s = await store.q.wechat.get({ tenantId, templateId });
  if (!s) throw neverAsked(templateId);
  return s;
}

const neverAsked = (templateId: string) =>
  new DomainError(ErrorCode.not_found, `template ${JSON.stringify(templateId)} was never asked to sync to WeChat`, { resource: 'wechat_sync', id: templateId });

/** The WeChat calls made for a template's sync, newest first (404 when it was never asked to sync). */
export async function listSyncAttempts(deps: Deps, tenantId: string, templateId: string, limit: number): Promise<SyncAttempt[]> {
  await getSync(deps, tenantId, templateId);
  return deps.store.q.wechat.attempts({ tenantId, templateId }, limit);
}

export interface SyncList {
  items: SyncView[];
  total: number;
  /** `pending` counts the rows being worked on too (syncing). */
  counts: { pending: number; synced: number; failed: number };
}

/** A tenant's sync rows, most recently changed first; `state` narrows them (pending includes syncing). */
export async function listSync({ store }: Deps, tenantId: string, state: SyncState | undefined, page: { limit: number; offset: number }): Promise<SyncList> {
  const states: SyncState[] | null = state === undefined ? null : state === 'pending' ? ['pending', 'syncing'] : [state];
  const [{ items, total }, c] = await Promise.all([store.q.wechat.list(tenantId, states, page.limit, page.offset), store.q.wechat.counts(tenantId)]);
  return { items, total, counts: { pending: c.pending + c.syncing, synced: c.synced, failed: c.failed } };
}

/** Re-queues now (also after a permanent error); answers the row as it stands. */
export async function retrySync(deps: Deps, input: TenantInput & { templateId: string }): Promise<SyncView> {
  const now = deps.clock.now();
  const found = await deps.store.transaction(async (q) => {
    if (!(await q.wechat.retry({ tenantId: input.tenantId, templateId: input.templateId }, now))) return false;
    await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'template.wechat_sync_retried', subjectType: 'template', subjectId: input.templateId, data: {} }]);
    return true;
  });
  if (!found) throw neverAsked(input.templateId);
  return getSync(deps, input.tenantId, input.templateId);
}

export interface WechatApp {
  appId: string;
  appSecret: string;
}

/**
 * The tenant's WeChat app: the one a card was created in when `appId` is given (a card lives in
 * one official account), otherwise the newest live `wechat` credential. null when there is none.
 */
export async function wechatAppFor({ store }: Deps, tenantId: string, appId: string | null): Promise<WechatApp | null> {
  const live = (await store.q.credentials.listForTenant(tenantId, false)).filter((c) => c.kind === CredentialKind.wechat && c.publicId && c.secret);
  const c = appId === null ? live.at(-1) : live.find((x) => x.publicId === appId);
  return c ? { appId: c.publicId as string, appSecret: c.secret as string } : null;
}
