import type { EventRecord } from '../../store/queries/events.ts';
import type { Deps } from '../ports.ts';

export type { EventRecord };

/** The tenant's trail after a sequence number, oldest first (poll with the last seq seen). */
export async function listEvents({ store }: Deps, tenantId: string, filter: { subjectType?: string | undefined; subjectId?: string | undefined; action?: string | undefined }, page: { after: number; limit: number }): Promise<EventRecord[]> {
  return store.q.events.list(tenantId, filter, page.after, page.limit);
}
