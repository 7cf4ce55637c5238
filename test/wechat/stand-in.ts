/**
 * A local stand-in for WeChat's card API, started by the tests on 127.0.0.1:0. It speaks WeChat's
 * JSON (errcode / errmsg), issues and checks access tokens, keeps the cards it created with their
 * stock, records every call, and fails on demand: an HTTP status, an errcode, or a slow answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface StandInCall {
  path: string;
  query: Record<string, string>;
  body: any;
}

export type Failure = { status: number } | { errcode: number; errmsg?: string } | { delayMs: number };

export interface StandInCard {
  cardId: string;
  card: any;
  quantity: number;
  updates: any[];
}

export class WechatStandIn {
  readonly calls: StandInCall[] = [];
  readonly cards = new Map<string, StandInCard>();
  /** appId → secret the token endpoint accepts. */
  readonly apps = new Map<string, string>();
  /** Seconds a new token lives. */
  expiresIn = 7200;
  #tokens = new Map<string, { appId: string; expired: boolean }>();
  #failures = new Map<string, Failure[]>();
  #server: Server | null = null;
  #tokenSeq = 0;
  #cardSeq = 0;
  url = '';

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const addr = this.#server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** The next call to `path` (e.g. '/card/create') fails this way; several queue up in order. */
  failNext(path: string, ...failures: Failure[]): void {
    this.#failures.set(path, [...(this.#failures.get(path) ?? []), ...failures]);
  }

  /** Every token issued so far is expired: the next call gets 42001. */
  expireTokens(): void {
    for (const t of this.#tokens.values()) t.expired = true;
  }

  /** Forgets every token, as if another process had taken a new one long ago: the next call gets 40001. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  callsTo(path: string): StandInCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  reset(): void {
    this.calls.length = 0;
    this.cards.clear();
    this.#failures.clear();
    this.#tokens.clear();
    this.#tokenSeq = 0;
    this.#cardSeq = 0;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : null;
    this.calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body });
    const failure = this.#failures.get(url.pathname)?.shift();
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    if (failure && 'status' in failure) return void res.writeHead(failure.status, { 'content-type': 'text/plain' }).end('stand-in failure');
    const send = (o: object) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
    if (failure && 'errcode' in failure) return send({ errcode: failure.errcode, errmsg: failure.errmsg ?? 'stand-in error' });
    if (url.pathname === '/cgi-bin/token') return send(this.#token(url.searchParams));
    const token = this.#tokens.get(url.searchParams.get('access_token') ?? '');
    if (!token) return send({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    if (token.expired) return send({ errcode: 42001, errmsg: 'access_token expired' });
    send(this.#card(url.pathname, body));
  }

  #token(q: URLSearchParams): object {
    const appId = q.get('appid') ?? '';
    if (q.get('grant_type') !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (!this.apps.has(appId)) return { errcode: 40013, errmsg: 'invalid appid' };
    if (this.apps.get(appId) !== q.get('secret')) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const token = `tok-${++this.#tokenSeq}`;
    this.#tokens.set(token, { appId, expired: false });
    return { access_token: token, expires_in: this.expiresIn };
  }

  #card(path: string, body: any): object {
    if (path === '/card/create') {
      const card = body?.card;
      const typed = card?.[String(card?.card_type ?? '').toLowerCase()];
      if (!typed?.base_info?.title) return { errcode: 41011, errmsg: 'missing required field' };
      const cardId = `pStandIn${++this.#cardSeq}`;
      this.cards.set(cardId, { cardId, card, quantity: typed.base_info.sku.quantity, updates: [] });
      return { errcode: 0, errmsg: 'ok', card_id: cardId };
    }
    const stored = this.cards.get(body?.card_id);
    if (!stored) return { errcode: 40073, errmsg: 'invalid card id' };
    if (path === '/card/update') {
      stored.updates.push(body);
      return { errcode: 0, errmsg: 'ok', send_check: false };
    }
    if (path === '/card/modifystock') {
      const change = Number(body.increase_stock_value ?? 0) - Number(body.reduce_stock_value ?? 0);
      if (stored.quantity + change < 0) return { errcode: 40122, errmsg: 'invalid quantity' };
      stored.quantity += change;
      return { errcode: 0, errmsg: 'ok' };
    }
    return { errcode: 40066, errmsg: 'invalid url' };
  }
}
