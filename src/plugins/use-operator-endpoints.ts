import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { requestPath } from './request-path.js';
import { errors } from '../errors.js';
import type { GatewayMetrics } from './use-metrics.js';

/** /ready answers within this bound, whatever its checks do. */
export const READY_CHECK_MS = 2_000;

export interface OperatorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OperatorEndpoints {
  /** The answer for `/metrics` or `/ready`; undefined for any other path. */
  answer(path: string, authorization: string | null): Promise<OperatorAnswer> | undefined;
}

/** A readiness check that has not answered within READY_CHECK_MS counts as failed. */
function withinReadyBound(check: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    check,
    new Promise<void>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${READY_CHECK_MS} ms`)), READY_CHECK_MS)),
    ),
  ]).finally(() => clearTimeout(timer));
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The operators' endpoints: `/metrics` for Prometheus and `/ready` for load balancers, each check of
 * /ready bounded. They say how much quota is left and which operations run, so they can be closed
 * with a bearer token (METRICS_TOKEN, compared in constant time) or moved to a port of their own
 * (METRICS_PORT). Hand-written rather than yoga's readiness plugin: both endpoints share the guard and
 * the second listener.
 */
export function operatorEndpoints(options: {
  metrics: GatewayMetrics;
  readyChecks: Record<string, () => Promise<void>>;
  token?: string;
}): OperatorEndpoints {
  const expected = options.token ? digest(`Bearer ${options.token}`) : undefined;
  const refused = (): OperatorAnswer => {
    const error = errors.unauthenticated('This endpoint needs Authorization: Bearer <METRICS_TOKEN>');
    return {
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
      body: JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }),
    };
  };
  return {
    answer(path, authorization) {
      if (path !== '/metrics' && path !== '/ready') return undefined;
      return (async () => {
        if (expected && !timingSafeEqual(digest(authorization ?? ''), expected)) return refused();
        if (path === '/metrics') {
          return {
            status: 200,
            headers: { 'content-type': options.metrics.registry.contentType },
            body: await options.metrics.registry.metrics(),
          };
        }
        const failed: Record<string, string> = {};
        await Promise.all(
          Object.entries(options.readyChecks).map(([name, check]) =>
            withinReadyBound(check()).catch((e: Error) => void (failed[name] = e.message)),
          ),
        );
        const ready = Object.keys(failed).length === 0;
        return {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ ready, ...(ready ? {} : { failed }) }),
        };
      })();
    },
  };
}

/** Serves the operators' endpoints on the GraphQL port, or answers 404 there when they have a port of their own. */
export function useOperatorEndpoints(endpoints: OperatorEndpoints, { servedHere }: { servedHere: boolean }): Plugin {
  return {
    // Not async: every GraphQL request passes here, and an async hook costs it a promise and a turn.
    onRequest({ request, endResponse }) {
      const path = requestPath(request);
      if (path !== '/metrics' && path !== '/ready') return;
      if (!servedHere) return endResponse(new Response(null, { status: 404 }));
      return endpoints.answer(path, request.headers.get('authorization'))?.then((answer) => {
        if (answer) endResponse(new Response(answer.body, { status: answer.status, headers: answer.headers }));
      });
    },
  };
}
