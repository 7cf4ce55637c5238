/**
 * Failures of WeChat calls, and which are permanent. A permanent failure is one that sending the
 * same request again cannot fix without a person changing something (the card data, the app's
 * credentials or permissions): the sync stops retrying it by itself and waits for a retry by hand
 * or a new update. Everything else (system busy, quotas, timeouts, 5xx, broken answers, codes not
 * listed here) is retried with back-off.
 */

/** errcodes that are permanent, with what a merchant should do. */
export const PERMANENT_ERRCODES: Record<number, string> = {
  40009: 'an image is too large',
  40013: 'the app id is invalid: check the wechat credential',
  40053: 'invalid action info',
  40071: 'invalid card type',
  40072: 'invalid code type / encoding',
  40078: 'the card status does not allow this',
  40079: 'invalid time (date_info)',
  40080: 'invalid card ext',
  40100: 'invalid time range (date_info)',
  40116: 'invalid code',
  40122: 'invalid stock quantity',
  40124: 'too many custom fields',
  40125: 'the app secret is invalid: check the wechat credential',
  40150: 'invalid card parameters',
  40164: 'this server\'s IP is not in the official account\'s IP whitelist',
  41011: 'a required field is missing',
  41012: 'card_id is missing',
  43009: 'no permission for custom codes',
  43010: 'no permission for stored value',
  45021: 'a field is longer than WeChat allows',
  45030: 'this card_id has no API permission',
  48001: 'the official account has no card API permission',
};

/** errcodes saying the access token is bad: fetch a new one and send again. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

export class WechatError extends Error {
  readonly permanent: boolean;
  readonly errcode: number | null;
  readonly httpStatus: number | null;

  constructor(message: string, options: { permanent: boolean; errcode?: number | null; httpStatus?: number | null }) {
    super(message);
    this.name = 'WechatError';
    this.permanent = options.permanent;
    this.errcode = options.errcode ?? null;
    this.httpStatus = options.httpStatus ?? null;
  }

  /** An answer with a non-zero errcode. */
  static errcode(action: string, errcode: number, errmsg: string): WechatError {
    const hint = PERMANENT_ERRCODES[errcode];
    return new WechatError(`${action}: errcode ${errcode} ${errmsg}${hint ? ` (${hint})` : ''}`, { permanent: hint !== undefined, errcode, httpStatus: 200 });
  }
}

/** Something a person must fix before the sync can go on (no credential, a card WeChat would refuse). */
export const permanent = (message: string): WechatError => new WechatError(message, { permanent: true });

export const isWechatError = (e: unknown): e is WechatError => e instanceof WechatError;
