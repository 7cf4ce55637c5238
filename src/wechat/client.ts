/**
 * The WeChat card API client: access token (`GET /cgi-bin/token`, cached until it expires and
 * fetched again after 40001 / 40014 / 42001), `card/create`, `card/update`, `card/modifystock`.
 * Every call has a timeout, is reported to an optional observer (the sync records each one) and
 * fails with a WechatError that says whether retrying can help. URLs with secrets or tokens are
 * never put in messages.
 */
import type { Clock } from '../app/ports.ts';
import type { WechatApp } from '../app/wechat/sync.ts';
import type { Json, WechatCard } from '../app/wechat/card.ts';
import { TOKEN_ERRCODES, WechatError } from './errors.ts';
import { AccessTokens, type TokenStore } from './tokens.ts';

/** One HTTP call to WeChat, as the sync records it. */
export interface CallRecord {
  action: string;
  ok: boolean;
  durationMs: number;
  httpStatus: number | null;
  errcode: number | null;
  error: string | null;
}

export type CallObserver = (call: CallRecord) => void;

export interface WechatClientOptions {
  /** `COUPONHUB_WECHAT_BASE_URL`, e.g. https://api.weixin.qq.com */
  baseUrl: string;
  tokens: TokenStore;
  clock: Clock;
  /** Per call; WeChat usually answers in well under a second. */
  timeoutMs?: number;
}

const isJsonObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class WechatClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #tokens: AccessTokens;

  constructor(options: WechatClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#tokens = new AccessTokens(options.tokens, options.clock, (app, observe) => this.#fetchToken(app, observe));
  }

  /** card/create: the new card's card_id. */
  async createCard(app: WechatApp, card: WechatCard, observe?: CallObserver): Promise<string> {
    const answer = await this.#call('card/create', app, { card }, observe);
    if (typeof answer.card_id !== 'string' || answer.card_id === '') throw new WechatError('card/create: the answer has no card_id', { permanent: false, httpStatus: 200 });
    return answer.card_id;
  }

  /** card/update with `{"card_id", "<type>": {"base_info": …}}`. */
  async updateCard(app: WechatApp, body: Json, observe?: CallObserver): Promise<void> {
    await this.#call('card/update', app, body, observe);
  }

  /** card/modifystock: adds (delta > 0) or removes stock. */
  async modifyStock(app: WechatApp, cardId: string, delta: number, observe?: CallObserver): Promise<void> {
    const body = delta >= 0 ? { card_id: cardId, increase_stock_value: delta } : { card_id: cardId, reduce_stock_value: -delta };
    await this.#call('card/modifystock', app, body, observe);
  }

  /** A POST with the access token; a refused token is replaced once and the call sent again. */
  async #call(action: string, app: WechatApp, body: Json, observe?: CallObserver): Promise<Json> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.#tokens.get(app, observe);
      try {
        return await this.#request(action, `${this.#base}/${action}?access_token=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, observe);
      } catch (e) {
        if (!(e instanceof WechatError) || e.errcode === null || !TOKEN_ERRCODES.has(e.errcode) || attempt > 1) throw e;
        await this.#tokens.invalidate(app.appId, token);
      }
    }
  }

  async #fetchToken(app: WechatApp, observe?: CallObserver): Promise<{ token: string; expiresInSeconds: number }> {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: app.appId, secret: app.appSecret });
    const answer = await this.#request('token', `${this.#base}/cgi-bin/token?${query}`, { method: 'GET' }, observe);
    const expires = Number(answer.expires_in);
    if (typeof answer.access_token !== 'string' || !Number.isFinite(expires) || expires <= 0) {
      throw new WechatError('token: the answer has no access_token / expires_in', { permanent: false, httpStatus: 200 });
    }
    return { token: answer.access_token, expiresInSeconds: expires };
  }

  /** One HTTP exchange: timeout, status, JSON, errcode; reported to the observer either way. */
  async #request(action: string, url: string, init: RequestInit, observe?: CallObserver): Promise<Json> {
    const started = performance.now();
    const report = (ok: boolean, httpStatus: number | null, errcode: number | null, error: string | null) =>
      observe?.({ action, ok, durationMs: performance.now() - started, httpStatus, errcode, error });
    try {
      const answer = await this.#exchange(action, url, init);
      report(true, 200, null, null);
      return answer;
    } catch (e) {
      const w = e instanceof WechatError ? e : new WechatError(`${action}: ${(e as Error).message}`, { permanent: false });
      report(false, w.httpStatus, w.errcode, w.message);
      throw w;
    }
  }

  async #exchange(action: string, url: string, init: RequestInit): Promise<Json> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
      throw new WechatError(timedOut ? `${action}: no answer within ${this.#timeoutMs} ms` : `${action}: ${(e as Error).message}`, { permanent: false });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      // 5xx and 429 pass; another 4xx means the base URL or the request is wrong, and will stay so.
      const permanent = res.status < 500 && res.status !== 429;
      throw new WechatError(`${action}: HTTP ${res.status} ${text.slice(0, 200)}`.trim(), { permanent, httpStatus: res.status });
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new WechatError(`${action}: the answer is not JSON: ${text.slice(0, 200)}`, { permanent: false, httpStatus: res.status });
    }
    if (!isJsonObject(answer)) throw new WechatError(`${action}: the answer is not a JSON object`, { permanent: false, httpStatus: res.status });
    const errcode = answer.errcode === undefined ? 0 : Number(answer.errcode);
    if (errcode !== 0) throw WechatError.errcode(action, errcode, String(answer.errmsg ?? ''));
    return answer;
  }
}
