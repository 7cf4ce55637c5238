/**
 * The V3 CRM coupon API's envelopes, exactly as seed 003 shows them, quirks included: success
 * carries `status` as the string "true" and `code` "0"; a business failure carries `status` as
 * the boolean true; a system failure the boolean false. No `data` on failures. Always HTTP 200.
 */
import type { V3Card } from './mapping.ts';

export const SUCCESS_MESSAGE = '成功';
export const BUSINESS_FAILURE_MESSAGE = '查询的信息不存在';

export interface V3Success {
  status: 'true';
  code: '0';
  message: string;
  data: V3Card | V3Card[];
}

export function success(data: V3Card | V3Card[]): V3Success {
  return { status: 'true', code: '0', message: SUCCESS_MESSAGE, data };
}

/** Nothing found: the seed's `{"status": true, …, "message": "查询的信息不存在"}`. */
export function businessFailure(code: string): { status: true; code: string; message: string } {
  return { status: true, code, message: BUSINESS_FAILURE_MESSAGE };
}

/** The request was refused before any business ran. */
export function systemFailure(code: string, message: string): { status: false; code: string; message: string } {
  return { status: false, code, message };
}
