/**
 * SQLite has one connection: a query through `store.q`, or a nested transaction, started from
 * inside a transaction would wait for that transaction's own connection forever. The store marks
 * the async context of its transactions here, and the outside query paths refuse to run in one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

export const insideSqliteTransaction = new AsyncLocalStorage<true>();

/** Kysely instances that must not run inside a transaction (the store's `q` on SQLite). */
const outside = new WeakSet<object>();

export function markOutside<T extends object>(db: T): T {
  outside.add(db);
  return db;
}

export function refuseInsideTransaction(db: object): void {
  if (outside.has(db) && insideSqliteTransaction.getStore()) {
    throw new Error('store.q was used inside a transaction: use the queries the transaction passes to its function');
  }
}

export class OutsideTransactionGuard implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (insideSqliteTransaction.getStore()) throw new Error('store.q was used inside a transaction: use the queries the transaction passes to its function');
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
