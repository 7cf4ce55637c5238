import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../app/ports.ts';
import { ApiRole } from '../../domain/credential.ts';
import { requireRole } from '../shared/auth.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface NativeContext {
  deps: Deps;
  adminKey: string | null;
}

const { platform, merchant, cashier, client } = ApiRole;

/** Who may call what: each route names one of these. */
export const ROLES = {
  platform: [platform],
  platformOrMerchant: [platform, merchant],
  merchant: [merchant],
  merchantOrClient: [merchant, client],
  merchantOrCashier: [merchant, cashier],
  tenantAny: [merchant, cashier, client],
} as const;

/** preValidation hook admitting a role set (authentication happens in it too). */
export const allow = (ctx: NativeContext, roles: readonly ApiRole[]) => requireRole(ctx.deps, ctx.adminKey, roles);
