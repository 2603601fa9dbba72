import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What `v1` signs: `<t>.<raw body>` (as Stripe does), or the raw body alone (STAMP_WEBHOOK_SIGNED_PAYLOAD). */
export type SignedPayload = 'timestamp.body' | 'body';

export interface SignatureOptions {
  secret: string;
  signedPayload: SignedPayload;
  toleranceS: number;
}

/** Why a delivery is refused (401), said in the log and the answer; never the secret or an expected value. */
export class SignatureError extends Error {
  override name = 'SignatureError' as const;
}

const SIGNATURE = /^[\x21-\x7e]{1,1024}$/;
const HEX_64 = /^[0-9a-f]{64}$/i;

/** `t` in seconds or in milliseconds (the docs say seconds, their example has 13 digits): epoch ms. */
export function timestampMs(t: string): number | undefined {
  if (!/^\d{1,16}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1e12 ? n : n * 1000;
}

function signedBytes(t: string, body: Buffer, signedPayload: SignedPayload): Buffer {
  return signedPayload === 'body' ? body : Buffer.concat([Buffer.from(`${t}.`, 'latin1'), body]);
}

/** The `X-Vivoldi-Signature` header for a body: what the sandbox sends, and what tests sign with. */
export function signWebhook(body: Buffer | string, options: { secret: string; signedPayload?: SignedPayload; t: string }): string {
  const bytes = signedBytes(options.t, Buffer.from(body), options.signedPayload ?? 'timestamp.body');
  return `t=${options.t},v1=${createHmac('sha256', options.secret).update(bytes).digest('hex')},alg=hmac-sha256`;
}

/** The `X-Content-SHA256` of a body. */
export function contentSha256(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Checks a delivery over the raw bytes received (never a re-serialised body): the signature header's
 * form, `alg`, the timestamp against the tolerance (and against `X-Vivoldi-Timestamp` when sent), any
 * `v1` (several are accepted, as while a secret is rotated) in constant time, and `X-Content-SHA256`
 * when sent. Returns the event's time (epoch ms); throws SignatureError.
 */
export function verifyWebhook(
  headers: { signature: string | null; timestamp: string | null; contentSha256: string | null },
  body: Buffer,
  options: SignatureOptions,
  now = Date.now(),
): number {
  if (!headers.signature) throw new SignatureError('no X-Vivoldi-Signature header');
  if (!SIGNATURE.test(headers.signature)) throw new SignatureError('a malformed X-Vivoldi-Signature header');
  let t: string | undefined;
  let alg: string | undefined;
  const v1: string[] = [];
  for (const part of headers.signature.split(',')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 1) throw new SignatureError('a malformed X-Vivoldi-Signature header');
    if (name === 't') t = value;
    else if (name === 'alg') alg = value.toLowerCase();
    else if (name === 'v1') v1.push(value);
  }
  if (alg !== undefined && alg !== 'hmac-sha256')
    throw new SignatureError('an X-Vivoldi-Signature with another algorithm than hmac-sha256');
  if (t === undefined) throw new SignatureError('an X-Vivoldi-Signature without t=');
  const at = timestampMs(t);
  if (at === undefined) throw new SignatureError('an X-Vivoldi-Signature whose t= is not a timestamp');
  if (Math.abs(now - at) > options.toleranceS * 1000) {
    throw new SignatureError(`a timestamp outside the tolerance of ${options.toleranceS} s (a replay, or a clock far off)`);
  }
  if (headers.timestamp !== null && timestampMs(headers.timestamp) !== at) {
    throw new SignatureError('an X-Vivoldi-Timestamp that is not the signed t=');
  }
  if (!v1.some((v) => HEX_64.test(v))) throw new SignatureError('an X-Vivoldi-Signature without a v1 signature');
  const expected = createHmac('sha256', options.secret)
    .update(signedBytes(t, body, options.signedPayload))
    .digest();
  // Every v1 is compared, in constant time over equal lengths: which one matched does not leak by timing.
  let valid = false;
  for (const v of v1) if (HEX_64.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected)) valid = true;
  if (!valid) throw new SignatureError('a signature that does not match');
  if (headers.contentSha256 !== null) {
    const sent = headers.contentSha256.trim();
    const actual = createHash('sha256').update(body).digest();
    if (!HEX_64.test(sent) || !timingSafeEqual(Buffer.from(sent, 'hex'), actual)) {
      throw new SignatureError('an X-Content-SHA256 that is not the hash of the body');
    }
  }
  return at;
}
