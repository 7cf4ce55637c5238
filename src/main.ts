/** `npm start`: serve everything on embedded SQLite (or the database COUPONHUB_DATABASE_URL names). */
import { serve } from './cli/commands/serve.ts';
import { loadConfig } from './config.ts';

try {
  await serve(loadConfig(), {});
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
