/** Housekeeping the server runs on timers: the expiry sweeper and purging old nonces and idempotency keys. */
import type { FastifyBaseLogger } from 'fastify';
import { expireCoupons } from './app/coupons/expire-coupons.ts';
import { purgeNonces } from './app/partners/replay.ts';
import type { Deps } from './app/ports.ts';
import { purgeKeys } from './app/requests/idempotency-keys.ts';

export function startBackground(deps: Deps, intervalMs: number, log: FastifyBaseLogger): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await expireCoupons(deps, { maxBatches: 20 });
      if (n > 0) log.info({ expired: n }, 'expired coupons past their validity');
      // In chunks through the transaction queue: on SQLite each waits for another process's lock
      // on a timer, and claims and redemptions go between them.
      await purgeNonces(deps, deps.clock.now());
      await purgeKeys(deps, Date.now()); // keys are reserved at wall-clock time, whatever the engine clock says
    } catch (err) {
      log.error({ err }, 'background housekeeping failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
