/**
 * Environment parsed once into a frozen, typed Config. Every bad variable is reported in one
 * error, so a misconfigured deployment says everything that is wrong at once.
 */
import { hostname } from 'node:os';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  adminKey: string | null;
  sqliteSynchronous: 'NORMAL' | 'FULL' | 'EXTRA';
  busyTimeoutMs: number;
  /** SQLite file: claim batches commit on a writer thread of their own (see store/sqlite/writer-thread.ts). */
  sqliteWriterThread: boolean;
  poolSize: number;
  /**
   * Threads serving HTTP in this process, sharing its port (see cli/commands/http-threads.ts);
   * 'auto' (the default): one per core up to 4 on a SQLite file with its writer thread (Linux),
   * one elsewhere and in a `serve --workers` process. On 2 cores shared with the load, two threads
   * answer reads 50–65 % faster, claims as fast, redemptions as fast or ~5 % faster (paired, BENCHMARKS.md).
   */
  httpThreads: number | 'auto';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  wechatBaseUrl: string;
  /** How often this process runs a WeChat sync round; 0: it does not sync (another process does). */
  wechatSyncIntervalMs: number;
  expireIntervalMs: number;
  bodyLimitBytes: number;
  /** Reported by partner dialects that echo the server (OP v2 `foot.host`). */
  serverName: string;
}

/** The variables, their defaults and meaning: the README's configuration table mirrors this. */
export const CONFIG_VARIABLES = {
  PORT: '8080',
  HOST: '127.0.0.1',
  COUPONHUB_DATABASE_URL: './data/couponhub.db',
  COUPONHUB_ADMIN_KEY: '',
  COUPONHUB_SQLITE_SYNCHRONOUS: 'NORMAL',
  COUPONHUB_SQLITE_BUSY_TIMEOUT_MS: '5000',
  COUPONHUB_SQLITE_WRITER_THREAD: 'on',
  COUPONHUB_DB_POOL_SIZE: '10',
  COUPONHUB_HTTP_THREADS: 'auto',
  COUPONHUB_LOG_LEVEL: 'info',
  COUPONHUB_WECHAT_BASE_URL: 'https://api.weixin.qq.com',
  COUPONHUB_WECHAT_SYNC_INTERVAL_MS: '2000',
  COUPONHUB_EXPIRE_INTERVAL_MS: '60000',
  COUPONHUB_BODY_LIMIT_BYTES: '1048576',
  COUPONHUB_SERVER_NAME: '',
} as const;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SYNC = ['NORMAL', 'FULL', 'EXTRA'] as const;
const ON_OFF = ['on', 'off'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const get = (name: keyof typeof CONFIG_VARIABLES): string => {
    const v = env[name];
    return v === undefined || v === '' ? CONFIG_VARIABLES[name] : v;
  };
  const int = (name: keyof typeof CONFIG_VARIABLES, min: number, max: number): number => {
    const raw = get(name);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max}`);
      return min;
    }
    return n;
  };
  const oneOf = <T extends string>(name: keyof typeof CONFIG_VARIABLES, allowed: readonly T[]): T => {
    const raw = get(name);
    const v = (name === 'COUPONHUB_SQLITE_SYNCHRONOUS' ? raw.toUpperCase() : raw.toLowerCase()) as T;
    if (!allowed.includes(v)) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be one of ${allowed.join(', ')}`);
      return allowed[0] as T;
    }
    return v;
  };
  const threadsRaw = get('COUPONHUB_HTTP_THREADS');
  let httpThreads: number | 'auto' = 'auto';
  if (threadsRaw.toLowerCase() !== 'auto') {
    const n = Number(threadsRaw);
    if (/^\d+$/.test(threadsRaw) && n >= 1 && n <= 64) httpThreads = n;
    else problems.push(`COUPONHUB_HTTP_THREADS=${JSON.stringify(threadsRaw)}: must be auto or an integer from 1 to 64`);
  }
  const wechat = get('COUPONHUB_WECHAT_BASE_URL');
  if (!/^https?:\/\/[^\s]+$/.test(wechat)) problems.push(`COUPONHUB_WECHAT_BASE_URL=${JSON.stringify(wechat)}: must be an http(s) URL`);
  const adminKey = env.COUPONHUB_ADMIN_KEY ?? '';
  if (adminKey !== '' && adminKey.length < 8) problems.push('COUPONHUB_ADMIN_KEY: must be at least 8 characters when set');
  const config: Config = {
    port: int('PORT', 0, 65535),
    host: get('HOST'),
    databaseUrl: get('COUPONHUB_DATABASE_URL'),
    adminKey: adminKey === '' ? null : adminKey,
    sqliteSynchronous: oneOf('COUPONHUB_SQLITE_SYNCHRONOUS', SYNC),
    busyTimeoutMs: int('COUPONHUB_SQLITE_BUSY_TIMEOUT_MS', 0, 600_000),
    sqliteWriterThread: oneOf('COUPONHUB_SQLITE_WRITER_THREAD', ON_OFF) === 'on',
    poolSize: int('COUPONHUB_DB_POOL_SIZE', 1, 1000),
    httpThreads,
    logLevel: oneOf('COUPONHUB_LOG_LEVEL', LOG_LEVELS),
    wechatBaseUrl: wechat.replace(/\/+$/, ''),
    wechatSyncIntervalMs: int('COUPONHUB_WECHAT_SYNC_INTERVAL_MS', 0, 3_600_000),
    expireIntervalMs: int('COUPONHUB_EXPIRE_INTERVAL_MS', 0, 86_400_000),
    bodyLimitBytes: int('COUPONHUB_BODY_LIMIT_BYTES', 1024, 100 * 1024 * 1024),
    serverName: get('COUPONHUB_SERVER_NAME') || hostname(),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
