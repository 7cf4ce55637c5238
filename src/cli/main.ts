/**
 * `npx couponhub <command>`: every command opens (and migrates) the store named by
 * COUPONHUB_DATABASE_URL, then calls the use cases in src/app.
 */
import { parseArgs } from 'node:util';
import { expireCoupons } from '../app/coupons/expire-coupons.ts';
import { openRuntime } from '../bootstrap.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DomainError, isDomainError } from '../domain/errors.ts';
import { exportFile, importFile } from './commands/data.ts';
import { runDemo } from './commands/demo.ts';
import { issueFromFile } from './commands/issue.ts';
import { createKey } from './commands/keys.ts';
import { serveWorkers } from './commands/cluster.ts';
import { serve } from './commands/serve.ts';

const USAGE = `usage: couponhub <command> [options]

commands:
  serve [--port N] [--workers N]   serve every API (same as npm start); N processes on one port
  migrate                          apply database migrations and exit
  import <file.json>               load a data set (atomic; importing twice changes nothing)
  export <file.json|-> [--tenant ID ...]
                                   write the data set (all tenants, or the ones named)
  demo                             load the demo data set and print credentials and requests
  expire                           write "expired" on coupons past their validity now
  issue --template ID --users FILE.csv [--tenant ID] [--chunk N]
                                   one coupon per user id in the CSV; resumable, refusals to FILE.rejected.csv
  keys create --tenant ID --role merchant|cashier|client [--label TEXT]
                                   create an API key for a tenant (printed once)

environment: COUPONHUB_DATABASE_URL (default ./data/couponhub.db), see README for the rest`;

/** An integer option within [min, max] (undefined when not given); anything else is refused naming the option. */
function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw DomainError.field(`--${name}`, `must be an integer from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}

async function withRuntime<T>(config: Config, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const rt = await openRuntime(config);
  try {
    return await fn(rt);
  } finally {
    await rt.store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      role: { type: 'string' },
      label: { type: 'string' },
      template: { type: 'string' },
      users: { type: 'string' },
      chunk: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const workers = intOption('workers', values.workers, 1, 64) ?? 1;
      const port = intOption('port', values.port, 0, 65535);
      const options = port === undefined ? {} : { port };
      if (workers > 1) await serveWorkers(config, workers, options);
      else await serve(config, options);
      return 0;
    }
    case 'migrate':
      return withRuntime(config, async (rt) => {
        console.log(rt.migrated.length > 0 ? `applied: ${rt.migrated.join(', ')}` : 'the schema is up to date');
        console.log(rt.store.describe());
        return 0;
      });
    case 'import': {
      const file = positionals[0];
      if (!file) throw new Error('import needs a file: couponhub import data.json');
      return withRuntime(config, async (rt) => {
        const s = await importFile(rt.deps, file);
        console.log(`imported ${s.tenants} tenant(s), ${s.credentials} credential(s), ${s.templates} template(s), ${s.packages} package(s), ${s.coupons} coupon(s), ${s.redemptions} redemption(s); existing ids were left unchanged`);
        return 0;
      });
    }
    case 'export': {
      const file = positionals[0];
      if (!file) throw new Error('export needs a file (or - for stdout): couponhub export data.json');
      return withRuntime(config, async (rt) => {
        const n = await exportFile(rt.deps, file, values.tenant ?? []);
        if (file !== '-') console.log(`exported to ${file} (${n} coupon(s))`);
        return 0;
      });
    }
    case 'demo':
      return withRuntime(config, async (rt) => runDemo(rt.deps, config));
    case 'expire':
      return withRuntime(config, async (rt) => {
        console.log(`expired ${await expireCoupons(rt.deps)} coupon(s)`);
        return 0;
      });
    case 'issue': {
      const chunk = intOption('chunk', values.chunk, 1, 100_000);
      return withRuntime(config, async (rt) => {
        const job = await issueFromFile(rt.deps, { template: values.template, users: values.users, tenant: values.tenant?.[0], chunk });
        console.log(`job ${job.id}: ${job.issued} coupon(s) issued, ${job.refused} line(s) refused of ${job.total}${job.rejectedFile ? ` (see ${job.rejectedFile})` : ''}`);
        return 0;
      });
    }
    case 'keys':
      return withRuntime(config, async (rt) => createKey(rt.deps, positionals, values));
    default:
      console.error(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof ConfigError) console.error(e.message);
    else if (isDomainError(e)) {
      const fields = e.details.errors ?? [];
      // One bad field is the whole message already; several are listed one a line.
      if (fields.length > 1) {
        console.error(`error (${e.code}):`);
        for (const p of fields) console.error(`  ${p.field}: ${p.message}`);
      } else console.error(`error (${e.code}): ${e.message}`);
    } else console.error(`error: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
