import type { Tenant, Actor } from '../../domain/catalog.ts';
import type { ApiRole, Credential } from '../../domain/credential.ts';

/** Who is calling, set by the API-key authentication hook. */
export interface RequestAuth {
  credential: Credential;
  role: ApiRole;
  /** null for platform keys. */
  tenant: Tenant | null;
  actor: Actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes exactly as received (signatures are computed over them). */
    rawBody?: Buffer;
    auth?: RequestAuth;
    idempotency?: { scope: string; key: string; reservedAt: number; done: boolean };
  }
  interface FastifyContextConfig {
    /** POSTs that create or spend: honour Idempotency-Key. */
    idempotent?: boolean;
    /**
     * Honour Idempotency-Key, the key taken with its answer inside the use case's own
     * transaction: the handler calls answerUnderKey (idempotency.ts).
     */
    idempotentInTransaction?: boolean;
  }
}
