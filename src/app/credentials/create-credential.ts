import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/catalog.ts';
import { API_ROLES, ApiRole, CREDENTIAL_KINDS, CredentialKind, type Credential } from '../../domain/credential.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { requireTenant } from '../context.ts';
import type { Deps } from '../ports.ts';

/** What a merchant (or an import) gives; anything secret that is left out is generated. */
export interface CredentialInput {
  id?: string | undefined;
  kind: CredentialKind;
  label?: string | null | undefined;
  /** api */
  role?: ApiRole | undefined;
  key?: string | undefined;
  /** api, from an export: the stored hash instead of the key. */
  keyHash?: string | undefined;
  keyHint?: string | null | undefined;
  /** op */
  client?: string | undefined;
  secret?: string | undefined;
  /** crm (and zv's merchant account name) */
  channel?: string | undefined;
  desKey?: string | undefined;
  /** zv */
  openId?: string | undefined;
  grantCode?: string | undefined;
  /** wechat */
  appId?: string | undefined;
  appSecret?: string | undefined;
}

/** A credential as first created: the only time an API key is shown. */
export interface IssuedCredential {
  credential: Credential;
  /** The plain API key (kind api), or null. */
  key: string | null;
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const printable = (s: string) => /^[\x21-\x7e]+$/.test(s);

function randomDesKey(ids: Deps['ids']): string {
  return ids.secret(12).replace(/[^A-Za-z0-9]/g, 'x').slice(0, 8).padEnd(8, 'x');
}

/** Builds the credential for an input, generating what is missing; validates every field. */
export function buildCredential(ids: Deps['ids'], tenantId: string | null, input: CredentialInput, now: number): { credential: Credential; key: string | null; keyHash: string | null } {
  const problems: FieldProblem[] = [];
  const base: Credential = {
    id: input.id ?? ids.id(),
    tenantId,
    kind: input.kind,
    role: null,
    keyHint: null,
    publicId: null,
    secret: null,
    grantCode: null,
    channel: null,
    label: input.label ?? null,
    createdAt: now,
    revokedAt: null,
  };
  let key: string | null = null;
  let keyHash: string | null = null;
  switch (input.kind) {
    case CredentialKind.api: {
      if (!input.role || !API_ROLES.includes(input.role)) problems.push({ field: 'role', message: `must be one of ${API_ROLES.join(', ')}` });
      if (input.role === ApiRole.platform && tenantId !== null) problems.push({ field: 'role', message: 'platform keys are not tenant keys: the platform key is the value of COUPONHUB_ADMIN_KEY' });
      if (input.key !== undefined && (input.key.length < 8 || input.key.length > 200 || !printable(input.key))) problems.push({ field: 'key', message: 'must be 8 to 200 printable ASCII characters' });
      if (input.keyHash !== undefined && !/^[0-9a-f]{64}$/.test(input.keyHash)) problems.push({ field: 'keyHash', message: 'must be a SHA-256 hex digest' });
      base.role = input.role ?? null;
      if (input.keyHash !== undefined && input.key === undefined) {
        keyHash = input.keyHash;
        base.keyHint = input.keyHint ?? null;
      } else {
        key = input.key ?? ids.apiKey();
        keyHash = hashKey(key);
        base.keyHint = key.slice(0, Math.min(12, Math.max(4, key.length - 4)));
      }
      break;
    }
    case CredentialKind.op:
      base.publicId = input.client ?? ids.id();
      base.secret = input.secret ?? ids.secret();
      if (!printable(base.publicId) || base.publicId.length > 100) problems.push({ field: 'client', message: 'must be 1 to 100 printable ASCII characters' });
      if (base.secret.length < 6 || base.secret.length > 200) problems.push({ field: 'secret', message: 'must be 6 to 200 characters' });
      break;
    case CredentialKind.crm:
      if (!input.channel) problems.push({ field: 'channel', message: 'is required: the channel name partners send' });
      base.publicId = input.channel ?? null;
      base.secret = input.desKey ?? randomDesKey(ids);
      if (Buffer.byteLength(base.secret, 'utf8') !== 8) problems.push({ field: 'desKey', message: 'must be exactly 8 bytes in UTF-8 (a DES key)' });
      break;
    case CredentialKind.zv:
      base.publicId = input.openId ?? ids.id();
      base.grantCode = input.grantCode ?? ids.id().slice(0, 10);
      base.secret = input.secret ?? ids.secret();
      base.channel = input.channel ?? '';
      if (base.secret.length < 6) problems.push({ field: 'secret', message: 'must be at least 6 characters' });
      break;
    case CredentialKind.wechat:
      if (!input.appId) problems.push({ field: 'appId', message: 'is required (the official account app id, wx…)' });
      if (!input.appSecret) problems.push({ field: 'appSecret', message: 'is required' });
      base.publicId = input.appId ?? null;
      base.secret = input.appSecret ?? null;
      break;
    default:
      problems.push({ field: 'kind', message: `must be one of ${CREDENTIAL_KINDS.join(', ')}` });
  }
  if (problems.length > 0) throw DomainError.invalid(problems);
  return { credential: base, key, keyHash };
}

/** Creates a credential for a tenant; the answer holds the plain API key, shown this once. */
export async function createCredential({ store, clock, ids }: Deps, input: CredentialInput & { tenantId: string; actor: Actor }): Promise<IssuedCredential> {
  const now = clock.now();
  const built = buildCredential(ids, input.tenantId, input, now);
  return store.transaction(async (q) => {
    await requireTenant(q, input.tenantId);
    if (built.credential.publicId !== null && (await q.credentials.byPublicId(built.credential.kind, built.credential.publicId))) {
      throw new DomainError(ErrorCode.already_exists, `a ${built.credential.kind} credential ${built.credential.publicId} exists already`);
    }
    if (built.keyHash !== null && (await q.credentials.byKeyHash(built.keyHash))) throw new DomainError(ErrorCode.already_exists, 'that API key exists already');
    if (!(await q.credentials.insert(built.credential, built.keyHash))) throw new DomainError(ErrorCode.already_exists, `credential ${built.credential.id} exists already`);
    await q.events.append([
      { tenantId: input.tenantId, at: now, actor: input.actor, action: 'credential.created', subjectType: 'credential', subjectId: built.credential.id, data: { kind: built.credential.kind, role: built.credential.role, publicId: built.credential.publicId } },
    ]);
    return { credential: built.credential, key: built.key };
  });
}
