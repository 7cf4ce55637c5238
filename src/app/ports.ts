/**
 * The ports every use case takes: ({ store, clock, ids }, input). Tests inject a fixed clock and
 * deterministic ids; the server injects the real ones.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Ids {
  /** Opaque id (32 lowercase hex, like the seeds' ids). */
  id(): string;
  /** 12-digit coupon code from a cryptographic random source: not guessable from its neighbours. */
  couponCode(): string;
  /** 12-digit template code. */
  templateCode(): string;
  /** 10-digit package code. */
  packageCode(): string;
  /** A new secret API key with its prefix (`sk_live_…`). */
  apiKey(): string;
  /** A random secret for partner credentials. */
  secret(bytes?: number): string;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
}

export const systemClock: Clock = { now: () => Date.now() };

/** n decimal digits, uniformly random (crypto.randomInt draws without modulo bias). */
export function randomDigits(n: number): string {
  let out = '';
  while (out.length < n) out += String(randomInt(0, 1_000_000)).padStart(6, '0');
  return out.slice(0, n);
}

export const cryptoIds: Ids = {
  id: () => randomUUID().replaceAll('-', ''),
  couponCode: () => randomDigits(12),
  templateCode: () => randomDigits(12),
  packageCode: () => randomDigits(10),
  apiKey: () => `sk_live_${randomBytes(24).toString('base64url')}`,
  secret: (bytes = 24) => randomBytes(bytes).toString('base64url'),
};
