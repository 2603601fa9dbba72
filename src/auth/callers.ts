import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { z } from 'zod';

export const SCOPES = ['stamps:read', 'stamps:write', 'stamps:redeem', 'stamps:admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  /** Stable id that idempotency keys and the history are scoped by; never a secret. */
  id: string;
  kind: 'api-key' | 'jwt' | 'local-admin' | 'anonymous';
  scopes: ReadonlySet<Scope>;
  /** A customer token: sees only its own stamps (user.id = sub). */
  customerUserId: string | null;
}

export const ANONYMOUS: Caller = { id: 'anonymous', kind: 'anonymous', scopes: new Set(), customerUserId: null };
export const LOCAL_ADMIN: Caller = { id: 'local-admin', kind: 'local-admin', scopes: new Set(SCOPES), customerUserId: null };

const ApiKeyFileSchema = z.array(
  z
    .object({
      name: z.string().min(1).max(100),
      key: z.string().min(16, 'keys must be at least 16 characters').optional(),
      keySha256: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters').optional(),
      scopes: z.array(z.enum(SCOPES)).min(1),
    })
    .refine((k) => (k.key ? 1 : 0) + (k.keySha256 ? 1 : 0) === 1, 'give exactly one of key or keySha256'),
);

export interface AuthSettings {
  /** `off`: every request is an administrator (an explicit, logged choice). */
  mode: 'enforced' | 'local-admin' | 'off';
  apiKeysFile?: string;
  jwtSecret?: string;
  jwtPublicKey?: string;
  jwtAlgorithm?: 'RS256' | 'ES256';
  jwtIssuer?: string;
  jwtAudience?: string;
}

export class AuthConfigError extends Error {
  override name = 'AuthConfigError' as const;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } } });
}

/** Turns a request's `Authorization: Bearer` header into a caller. Built once at start-up. */
export class Authenticator {
  private constructor(
    readonly mode: AuthSettings['mode'],
    private readonly keys: Array<{ name: string; digest: Buffer; scopes: Set<Scope> }>,
    private readonly jwtKey: Uint8Array | CryptoKey | KeyObject | undefined,
    private readonly jwtOptions: { issuer?: string; audience?: string; algorithms: string[] },
  ) {}

  static async create(settings: AuthSettings): Promise<Authenticator> {
    let keys: Array<{ name: string; digest: Buffer; scopes: Set<Scope> }> = [];
    if (settings.apiKeysFile) {
      let parsed;
      try {
        parsed = ApiKeyFileSchema.safeParse(JSON.parse(readFileSync(settings.apiKeysFile, 'utf8')));
      } catch (error) {
        throw new AuthConfigError(`GATEWAY_API_KEYS_FILE: cannot read ${settings.apiKeysFile}: ${(error as Error).message}`);
      }
      if (!parsed.success) {
        throw new AuthConfigError(`GATEWAY_API_KEYS_FILE: ${parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
      }
      keys = parsed.data.map((k) => ({
        name: k.name,
        digest: k.key ? sha256(k.key) : Buffer.from(k.keySha256!, 'hex'),
        scopes: new Set(k.scopes),
      }));
    }
    let jwtKey: Uint8Array | CryptoKey | KeyObject | undefined;
    let algorithms: string[] = [];
    if (settings.jwtSecret) {
      if (settings.jwtSecret.length < 32) throw new AuthConfigError('JWT_SECRET: must be at least 32 characters');
      jwtKey = new TextEncoder().encode(settings.jwtSecret);
      algorithms = ['HS256'];
    } else if (settings.jwtPublicKey) {
      const alg = settings.jwtAlgorithm ?? 'RS256';
      const pem = settings.jwtPublicKey.includes('BEGIN') ? settings.jwtPublicKey : readFileSync(settings.jwtPublicKey, 'utf8');
      try {
        jwtKey = await importSPKI(pem, alg);
      } catch (error) {
        throw new AuthConfigError(`JWT_PUBLIC_KEY: not a ${alg} public key in PEM (${(error as Error).message})`);
      }
      algorithms = [alg];
    }
    return new Authenticator(settings.mode, keys, jwtKey, { issuer: settings.jwtIssuer, audience: settings.jwtAudience, algorithms });
  }

  /**
   * The caller of a request. No header: anonymous (or the local administrator where auth is not
   * enforced). A header that is not a valid token: UNAUTHENTICATED (HTTP 401), never a fallback.
   */
  async authenticate(authorization: string | null): Promise<Caller> {
    if (this.mode === 'off') return LOCAL_ADMIN;
    if (!authorization) return this.mode === 'local-admin' ? LOCAL_ADMIN : ANONYMOUS;
    const m = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(authorization);
    if (!m) throw unauthenticated('Send Authorization: Bearer <token>');
    const token = m[1]!;
    const digest = sha256(token);
    // Hash, then compare every key in constant time: neither a key nor its position leaks by timing.
    let found: (typeof this.keys)[number] | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, digest)) found = key;
    if (found) return { id: `key:${found.name}`, kind: 'api-key', scopes: found.scopes, customerUserId: null };
    if (this.jwtKey && token.split('.').length === 3) return this.verifyJwt(token);
    throw unauthenticated('The token is not valid');
  }

  private async verifyJwt(token: string): Promise<Caller> {
    try {
      const { payload } = await jwtVerify(token, this.jwtKey!, {
        issuer: this.jwtOptions.issuer,
        audience: this.jwtOptions.audience,
        algorithms: this.jwtOptions.algorithms,
        requiredClaims: ['sub', 'exp'],
      });
      const claim = payload.scope ?? payload.scp;
      const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
      const scopes = new Set(names.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)));
      const customer = [...scopes].every((s) => s === 'stamps:read');
      return { id: `jwt:${payload.sub}`, kind: 'jwt', scopes, customerUserId: customer ? payload.sub! : null };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated('The token is not valid');
      throw error;
    }
  }
}
