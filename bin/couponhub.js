#!/usr/bin/env node
// The couponhub CLI. It needs Node 24 (TypeScript runs directly, node:sqlite is built in); the
// project installs it as a devDependency, so an older system node hands over to that one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    console.error(`couponhub needs Node.js 24 or later (this is ${process.version}); run npm install in ${root} first`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { run } = await import('../src/cli/main.ts');
await run(process.argv.slice(2));
