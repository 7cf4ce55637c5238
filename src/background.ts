/** Housekeeping the server runs on timers: the expiry sweeper and purging old nonces and idempotency keys. */
import type { FastifyBaseLogger } from 'fastify';
import { expireCoupons } from './app/coupons/expire-coupons.ts';
import type { Deps } from './app/ports.ts';

const DAY = 86_400_000;

export function startBackground(deps: Deps, intervalMs: number, log: FastifyBaseLogger): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await expireCoupons(deps, { maxBatches: 20 });
      if (n > 0) log.info({ expired: n }, 'expired coupons past their validity');
      const now = deps.clock.now();
      await deps.store.q.nonces.purge(now);
      await deps.store.q.idempotency.purge(now - DAY);
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
