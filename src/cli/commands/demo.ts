import { demoDataset } from '../../app/data/demo-dataset.ts';
import { importDataset } from '../../app/data/import-dataset.ts';
import type { Deps } from '../../app/ports.ts';
import type { Config } from '../../config.ts';
import { nativeSection } from '../demo/native.ts';
import { crmOpenApiSection } from '../demo/crm-openapi.ts';
import { v3CrmSection } from '../demo/v3-crm.ts';
import { opV2Section } from '../demo/op-v2.ts';
import { ticketAdminSection } from '../demo/ticket-admin.ts';
import type { DemoSection } from '../demo/section.ts';

/** Every API family's demo block; each dialect adds its own section here. */
const SECTIONS: DemoSection[] = [nativeSection, opV2Section, crmOpenApiSection, v3CrmSection, ticketAdminSection];

/** `couponhub demo`: loads the demo data set (idempotent) and prints what to try. */
export async function runDemo(deps: Deps, config: Pick<Config, 'host' | 'port'>): Promise<number> {
  const now = deps.clock.now();
  const summary = await importDataset(deps, demoDataset(now), { actor: { type: 'cli', id: 'couponhub-demo' } });
  const fresh = summary.tenants + summary.templates + summary.coupons > 0;
  console.log(fresh ? `demo data loaded: ${summary.templates} templates, ${summary.packages} packages, ${summary.coupons} coupons` : 'demo data already loaded');
  const baseUrl = `http://${config.host}:${config.port}`;
  console.log(`start the server with \`npm start\`, then try (base URL ${baseUrl}):`);
  for (const section of SECTIONS) {
    const s = section({ baseUrl, now });
    console.log(`\n== ${s.title}\n${s.lines.join('\n')}`);
  }
  return 0;
}
