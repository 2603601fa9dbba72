import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { z } from 'zod';
import { errors } from '../errors.js';

export const SCOPES = ['stamps:read', 'stamps:write', 'stamps:redeem', 'stamps:admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  /** Stable id that idempotency keys and the history are scoped by; never a secret. */
  id: string;
  kind: 'api-key' | 'jwt' | 'local-admin' | 'anonymous';
  scopes: ReadonlySet<Scope>;
  /** A customer token: sees only its own stamps (user.id = sub). */
  customerUserId: string | null;
  /** The share of the stamp API's minute quota this caller may spend, when not the default. */
  quotaShare?: number;
  /** When the credential stops being valid (epoch ms): a token's `exp`. Streams end then. */
  expiresAt?: number;
}

export const ANONYMOUS: Caller = { id: 'anonymous', kind: 'anonymous', scopes: new Set(), customerUserId: null };
// The operator of a gateway without callers (sandbox, or GATEWAY_AUTH=off) is not held to a share of the quota.
export const LOCAL_ADMIN: Caller = { id: 'local-admin', kind: 'local-admin', scopes: new Set(SCOPES), customerUserId: null, quotaShare: 1 };

const ApiKeyFileSchema = z.array(
  z
    .object({
      name: z.string().min(1).max(100),
      key: z.string().min(16, 'keys must be at least 16 characters').optional(),
      keySha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
        .optional(),
      scopes: z.array(z.enum(SCOPES)).min(1),
      /** This key's share of the stamp API's minute quota (0 to 1), e.g. 1 for a back office. */
      quotaShare: z.number().gt(0).max(1).optional(),
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
  /** Longest a JWT may still be valid for, exp minus now and exp minus iat (JWT_MAX_LIFETIME_S); required with a JWT key. */
  jwtMaxLifetimeS?: number;
}

// Printable characters only: a subject becomes a caller id in the history, the logs and idempotency keys.
const PRINTABLE = /^[^\p{Cc}\p{Cs}]+$/u;

/**
 * The claims a JWT must carry, typed: anything of another type fails the token (HTTP 401), never a
 * fallback. Whether a caller is a customer is decided by its scopes, not by any claim's truthiness.
 */
const ClaimsSchema = z.looseObject({
  sub: z.string().min(1).max(256).regex(PRINTABLE),
  exp: z.number().finite(),
  iat: z.number().finite().optional(),
  nbf: z.number().finite().optional(),
  scope: z.string().max(2_000).optional(),
  scp: z.union([z.string().max(2_000), z.array(z.string().max(100)).max(50)]).optional(),
});

/** Scopes that make a caller staff; a token with none of them is a customer, who sees only their own stamps. */
const STAFF_SCOPES: readonly Scope[] = ['stamps:write', 'stamps:redeem', 'stamps:admin'];

export class AuthConfigError extends Error {
  override name = 'AuthConfigError' as const;
}

/** The hex SHA-256 of a key: keys are looked up by it, so the comparison never runs over the secret itself. */
const sha256 = (value: string) => hash('sha256', value, 'hex');

const unauthenticated = errors.unauthenticated;

/** Turns a request's `Authorization: Bearer` header into a caller. Built once at start-up. */
export class Authenticator {
  private constructor(
    readonly mode: AuthSettings['mode'],
    /** The callers of the API keys, by the hex SHA-256 of their key. */
    private readonly keys: ReadonlyMap<string, Caller>,
    private readonly jwtKey: Uint8Array | CryptoKey | KeyObject | undefined,
    private readonly jwtOptions: { issuer?: string; audience?: string; algorithms: string[]; maxLifetimeS: number },
  ) {}

  static async create(settings: AuthSettings): Promise<Authenticator> {
    const keys = new Map<string, Caller>();
    if (settings.apiKeysFile) {
      let parsed: ReturnType<typeof ApiKeyFileSchema.safeParse>;
      try {
        parsed = ApiKeyFileSchema.safeParse(JSON.parse(readFileSync(settings.apiKeysFile, 'utf8')));
      } catch (error) {
        throw new AuthConfigError(`GATEWAY_API_KEYS_FILE: cannot read ${settings.apiKeysFile}: ${(error as Error).message}`);
      }
      if (!parsed.success) {
        throw new AuthConfigError(
          `GATEWAY_API_KEYS_FILE: ${parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`,
        );
      }
      for (const k of parsed.data) {
        const digest = k.key ? sha256(k.key) : k.keySha256!.toLowerCase();
        if (keys.has(digest)) throw new AuthConfigError(`GATEWAY_API_KEYS_FILE: the key of "${k.name}" is given twice`);
        keys.set(
          digest,
          Object.freeze({
            id: `key:${k.name}`,
            kind: 'api-key' as const,
            scopes: new Set(k.scopes),
            customerUserId: null,
            quotaShare: k.quotaShare,
          }),
        );
      }
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
    return new Authenticator(settings.mode, keys, jwtKey, {
      issuer: settings.jwtIssuer,
      audience: settings.jwtAudience,
      algorithms,
      maxLifetimeS: settings.jwtMaxLifetimeS ?? 86_400,
    });
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
    // Looked up by the token's SHA-256: the time a lookup takes depends on the digest, which says
    // nothing usable about any key (finding a token with a given digest prefix is preimage work).
    const found = this.keys.get(sha256(token));
    if (found) return found;
    if (this.jwtKey && token.split('.').length === 3) return this.verifyJwt(token);
    throw unauthenticated('The token is not valid');
  }

  private async verifyJwt(token: string): Promise<Caller> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.jwtKey!, {
        issuer: this.jwtOptions.issuer,
        audience: this.jwtOptions.audience,
        algorithms: this.jwtOptions.algorithms,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated('The token is not valid');
      throw error;
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('The token is not valid: its claims have the wrong types');
    const { sub, exp, iat, scope, scp } = claims.data;
    const now = Date.now() / 1000;
    const lifetime = Math.max(exp - now, iat === undefined ? 0 : exp - iat);
    if (lifetime > this.jwtOptions.maxLifetimeS) {
      throw unauthenticated(`The token lives longer than this gateway accepts (${this.jwtOptions.maxLifetimeS} s)`);
    }
    const names = scope !== undefined ? scope.split(' ') : Array.isArray(scp) ? scp : (scp?.split(' ') ?? []);
    const scopes = new Set(names.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)));
    const customer = !STAFF_SCOPES.some((s) => scopes.has(s));
    return { id: `jwt:${sub}`, kind: 'jwt', scopes, customerUserId: customer ? sub : null, expiresAt: exp * 1000 };
  }
}
