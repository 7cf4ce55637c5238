/**
 * Finding the credential behind a request. Lookups are cached per process for a few seconds
 * (every request authenticates; keys rarely change); revocation in this process takes effect at
 * once (on every thread of it), in other processes sharing the database within CACHE_MS.
 */
import { ApiRole, CredentialKind, type Credential } from '../../domain/credential.ts';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../ports.ts';
import { hashKey } from './create-credential.ts';
import { forgetEverywhere } from '../requests/forget-everywhere.ts';

const CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { credential: Credential | null; until: number }>();

function remember(key: string, credential: Credential | null, now: number): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { credential, until: now + CACHE_MS });
}

/** Drops a credential from this process's cache, on every thread of it (after revocation). */
export const forgetCredential = forgetEverywhere('credential', (id) => {
  for (const [k, v] of cache) if (v.credential?.id === id) cache.delete(k);
});

async function cached(key: string, now: number, load: () => Promise<Credential | undefined>): Promise<Credential | null> {
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.credential;
  const c = (await load()) ?? null;
  const live = c && c.revokedAt === null ? c : null;
  remember(key, live, now);
  return live;
}

let admin: { key: string; bytes: Buffer } | null = null;
/** The admin key's bytes, made once (every request is checked against it). */
function adminKeyBytes(adminKey: string): Buffer {
  if (admin?.key !== adminKey) admin = { key: adminKey, bytes: Buffer.from(adminKey, 'utf8') };
  return admin.bytes;
}

/**
 * The live API key with this value, or null. The platform admin key from the environment is
 * compared in constant time and exists without a row.
 */
export async function authenticateApiKey(deps: Deps, key: string, adminKey: string | null): Promise<Credential | null> {
  if (adminKey !== null) {
    const b = adminKeyBytes(adminKey);
    // Only a key of the admin key's length is compared (in constant time): no bytes made for the others.
    if (Buffer.byteLength(key, 'utf8') === b.length && timingSafeEqual(Buffer.from(key, 'utf8'), b)) {
      return { id: 'platform-admin', tenantId: null, kind: CredentialKind.api, role: ApiRole.platform, keyHint: null, publicId: null, secret: null, grantCode: null, channel: null, label: 'COUPONHUB_ADMIN_KEY', createdAt: 0, revokedAt: null };
    }
  }
  // Keyed by the key itself, so a hit costs no hashing; the store is asked by hash on a miss.
  return cached(`api:${key}`, Date.now(), () => deps.store.q.credentials.byKeyHash(hashKey(key)));
}

/** The live partner credential of a kind by its public id (OP client, CRM channel, V3 openId). */
export async function findPartnerCredential(deps: Deps, kind: CredentialKind, publicId: string): Promise<Credential | null> {
  return cached(`${kind}:${publicId}`, Date.now(), () => deps.store.q.credentials.byPublicId(kind, publicId));
}
