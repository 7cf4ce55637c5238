/**
 * WeChat access tokens: cached in memory and in the store until they expire, so every process
 * sharing the database uses one token per app (WeChat caps token fetches per day, and a new token
 * retires the old one within minutes). One fetch at a time per app in a process.
 */
import type { Clock } from '../app/ports.ts';
import type { WechatApp } from '../app/wechat/sync.ts';
import type { CallObserver } from './client.ts';

/** Where tokens are shared between processes (the store's wechat_tokens table). */
export interface TokenStore {
  token(appId: string): Promise<{ token: string; expiresAt: number } | undefined>;
  saveToken(appId: string, token: string, expiresAt: number, now: number): Promise<void>;
  dropToken(appId: string, token: string): Promise<void>;
}

/** Fetches a new token from WeChat: `{ token, expiresInSeconds }`. */
export type TokenFetcher = (app: WechatApp, observe?: CallObserver) => Promise<{ token: string; expiresInSeconds: number }>;

/** A token is given up a little before WeChat says it expires, so no call carries one that dies in flight. */
export function usableUntil(now: number, expiresInSeconds: number): number {
  const margin = Math.min(300, Math.floor(expiresInSeconds / 10));
  return now + (expiresInSeconds - margin) * 1000;
}

export class AccessTokens {
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #fetch: TokenFetcher;
  readonly #memory = new Map<string, { token: string; expiresAt: number }>();
  readonly #inflight = new Map<string, Promise<string>>();

  constructor(store: TokenStore, clock: Clock, fetch: TokenFetcher) {
    this.#store = store;
    this.#clock = clock;
    this.#fetch = fetch;
  }

  /** A live token for the app: from memory, from the store, or fetched (reported to `observe`). */
  async get(app: WechatApp, observe?: CallObserver): Promise<string> {
    const now = this.#clock.now();
    const mem = this.#memory.get(app.appId);
    if (mem && mem.expiresAt > now) return mem.token;
    const pending = this.#inflight.get(app.appId);
    if (pending) return pending;
    const p = this.#load(app, now, observe).finally(() => this.#inflight.delete(app.appId));
    this.#inflight.set(app.appId, p);
    return p;
  }

  async #load(app: WechatApp, now: number, observe?: CallObserver): Promise<string> {
    const stored = await this.#store.token(app.appId);
    if (stored && stored.expiresAt > now) {
      this.#memory.set(app.appId, stored);
      return stored.token;
    }
    const fetched = await this.#fetch(app, observe);
    const expiresAt = usableUntil(this.#clock.now(), fetched.expiresInSeconds);
    this.#memory.set(app.appId, { token: fetched.token, expiresAt });
    await this.#store.saveToken(app.appId, fetched.token, expiresAt, this.#clock.now());
    return fetched.token;
  }

  /** Forgets a token WeChat refused (40001 / 42001), here and in the store. */
  async invalidate(appId: string, token: string): Promise<void> {
    if (this.#memory.get(appId)?.token === token) this.#memory.delete(appId);
    await this.#store.dropToken(appId, token);
  }
}
