/** Who the calling key is: the console (and any client) asks this once to know what to show. */
import { Type } from 'typebox';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { tenantOut } from '../mapping.ts';
import { problemResponses } from '../schemas.ts';

const MeSchema = Type.Object({
  role: Type.Enum(['platform', 'merchant', 'cashier', 'client']),
  credentialId: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  tenant: Type.Union([Type.Ref('Tenant'), Type.Null()], { description: 'null for a platform key' }),
});

export function meRoutes(app: App, ctx: NativeContext): void {
  app.get('/v1/me', { preValidation: allow(ctx, [...ROLES.platform, ...ROLES.tenantAny]), schema: { tags: ['tenants'], summary: "The calling key: its role, label and tenant", response: { 200: MeSchema, ...problemResponses } } }, async (request) => {
    const auth = request.auth!;
    return { role: auth.role, credentialId: auth.credential.id, label: auth.credential.label, tenant: auth.tenant ? tenantOut(auth.tenant) : null };
  });
}
