import type { Deps } from '../../app/ports.ts';
import type { ServerConfig } from '../server.ts';

/** What every partner dialect plugin receives from server.ts. */
export interface DialectOptions {
  deps: Deps;
  config: ServerConfig;
}
