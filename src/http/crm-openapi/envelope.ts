/**
 * The CRM open API's response envelope (seed 002): `{"msg", "code", "data"}` with `code` a
 * number, 0 on success and `data: null` on failure. Always HTTP 200.
 */
import type { CrmItem } from './mapping.ts';

export interface CrmEnvelope<T> {
  msg: string;
  code: number;
  data: T;
}

export const SUCCESS_MSG = '操作成功';

export function success(list: CrmItem[]): CrmEnvelope<{ list: CrmItem[] }> {
  return { msg: SUCCESS_MSG, code: 0, data: { list } };
}

export function failure(msg: string, code: number): CrmEnvelope<null> {
  return { msg, code, data: null };
}
