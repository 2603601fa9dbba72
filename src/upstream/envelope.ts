import type { Endpoint } from './endpoints.js';
import { UpstreamBadResponseError, UpstreamRejectedError } from './errors.js';

/**
 * Unwraps the `{code, message, result}` envelope of a 2xx answer and returns `result`.
 * Throws UpstreamRejectedError for `code != 0` and UpstreamBadResponseError when it is no envelope.
 */
export function unwrapEnvelope(endpoint: Endpoint, text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamBadResponseError(endpoint, `not JSON (${describeText(text)})`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UpstreamBadResponseError(endpoint, 'the body is not a {code, message, result} envelope');
  }
  const { code, message, result } = body as { code?: unknown; message?: unknown; result?: unknown };
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new UpstreamBadResponseError(endpoint, 'the envelope has no integer code');
  }
  // Branch on code only: message is localised text, never a contract.
  if (code !== 0) throw new UpstreamRejectedError(endpoint, code, typeof message === 'string' ? message : '');
  return result ?? null;
}

function describeText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty body';
  if (trimmed.startsWith('<')) return 'an HTML page';
  return `${trimmed.length} characters of text`;
}
