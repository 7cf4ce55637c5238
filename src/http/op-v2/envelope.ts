/**
 * The OP v2 envelope (SPEC §4): `{code, message, data, page, foot}` on success and failure
 * alike, always HTTP 200. `foot` says when (in the tenant's timezone), whom to call and which
 * server answered.
 */
import type { FastifyReply } from 'fastify';
import type { Tenant } from '../../domain/catalog.ts';
import { formatLocalDateTime } from '../../domain/time.ts';
import type { OpCode } from './errors.ts';

export interface Foot {
  /** `yyyy-MM-dd HH:mm:ss` in the tenant's timezone. */
  operationTime: string;
  servicePhone: string | null;
  host: string;
}

export interface Envelope<T> {
  code: OpCode;
  message: string;
  data: T | null;
  page: null;
  foot: Foot;
}

/** Before the client is known there is no tenant: the seeds' own zone, no phone. */
const FALLBACK_TIMEZONE = 'Asia/Shanghai';

export function foot(now: number, tenant: Pick<Tenant, 'timezone' | 'servicePhone'> | null, host: string): Foot {
  return {
    operationTime: formatLocalDateTime(now, tenant?.timezone ?? FALLBACK_TIMEZONE),
    servicePhone: tenant ? tenant.servicePhone : null,
    host,
  };
}

export function success<T>(data: T, f: Foot): Envelope<T> {
  return { code: 200, message: '成功', data, page: null, foot: f };
}

export function failure(code: OpCode, message: string, f: Foot): Envelope<never> {
  return { code, message, data: null, page: null, foot: f };
}

/** Every OP answer is HTTP 200: the seeds' clients read `code` from the body. */
export function sendEnvelope<T>(reply: FastifyReply, envelope: Envelope<T>): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(envelope);
}

/**
 * A success whose `data` is already JSON (a cached answer): the same bytes `sendEnvelope` would
 * send for `success(JSON.parse(data), f)`, without serializing the data again.
 */
export function sendSuccessJson(reply: FastifyReply, data: Buffer, f: Foot): FastifyReply {
  const body = Buffer.concat([SUCCESS_HEAD, data, Buffer.from(`,"page":null,"foot":${JSON.stringify(f)}}`)]);
  return reply.code(200).type('application/json; charset=utf-8').send(body);
}

const SUCCESS_HEAD = Buffer.from(`{"code":200,"message":${JSON.stringify('成功')},"data":`);
