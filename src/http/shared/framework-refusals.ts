/**
 * What a caller did wrong when Fastify refuses a request before any route handler runs, by HTTP
 * status. Each dialect says it in its own envelope; the words are the same.
 */
export const FRAMEWORK_REFUSALS = {
  413: 'the body is too large',
  415: 'send the body as JSON with Content-Type: application/json',
} as const;

/** The explanation for a framework refusal with this status, if it has one. */
export function frameworkRefusal(status: number): string | undefined {
  return status in FRAMEWORK_REFUSALS ? FRAMEWORK_REFUSALS[status as keyof typeof FRAMEWORK_REFUSALS] : undefined;
}
