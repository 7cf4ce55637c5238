/** The native REST API under /v1 (SPEC §3). */
import type { App, NativeContext } from './context.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { couponRoutes } from './routes/coupons.ts';
import { credentialExampleRoutes } from './routes/credential-examples.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { insightRoutes } from './routes/insights.ts';
import { meRoutes } from './routes/me.ts';
import { packageRoutes } from './routes/packages.ts';
import { redemptionRoutes } from './routes/redemptions.ts';
import { templateRoutes } from './routes/templates.ts';
import { tenantRoutes } from './routes/tenants.ts';
import { wechatSyncRoutes } from './routes/wechat-sync.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

export function registerSchemas(app: App): void {
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
}

export function nativeRoutes(app: App, ctx: NativeContext): void {
  tenantRoutes(app, ctx);
  credentialRoutes(app, ctx);
  credentialExampleRoutes(app, ctx);
  catalogRoutes(app, ctx);
  templateRoutes(app, ctx);
  packageRoutes(app, ctx);
  couponRoutes(app, ctx);
  redemptionRoutes(app, ctx);
  insightRoutes(app, ctx);
  wechatSyncRoutes(app, ctx);
  meRoutes(app, ctx);
}
