import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AuthSettings } from './auth/authentication.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false']);

/** Every option: its variable, type, rule and default, here and nowhere else. */
const EnvSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  SANDBOX_PORT: port.default(4010),

  STAMP_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  STAMP_API_KEY: z.string().min(1).optional(),
  UPSTREAM_TIMEOUT_MS: positiveMs.default(10_000),
  UPSTREAM_MAX_IN_FLIGHT: int(1, 1024).default(32),
  UPSTREAM_RETRIES: int(0, 5).default(2),
  UPSTREAM_USER_AGENT: z.string().min(3).default('StampGateway/0.1 (+https://github.com/stamp-gateway)'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  DATABASE_TIMEOUT_MS: int(100, 60_000).default(3_000),
  DATABASE_STARTUP_TIMEOUT_MS: int(0, 600_000).default(10_000),

  GATEWAY_AUTH: z.enum(['on', 'off']).default('on'),
  GATEWAY_API_KEYS_FILE: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_ALGORITHM: z.enum(['RS256', 'ES256']).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_MAX_LIFETIME_S: int(60, 31_536_000).default(86_400),

  GRAPHQL_INTROSPECTION: flag.optional(),
  GRAPHIQL: flag.optional(),
  CORS_ORIGINS: z.string().optional(),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  MAX_QUERY_DEPTH: int(2, 50).default(8),
  MAX_QUERY_ALIASES: int(1, 500).default(15),
  MAX_QUERY_TOKENS: int(50, 100_000).default(2_000),
  MAX_QUERY_COST: int(10, 1_000_000).default(5_000),
  MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),
  METRICS_MAX_OPERATION_NAMES: int(0, 10_000).default(100),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: port.optional(),
  MUTATIONS_PER_MINUTE: int(1, 1_000_000).default(300),
  STAMP_MUTATIONS_PER_MINUTE: int(1, 1_000_000).default(20),

  STAMP_READ_CACHE_TTL_MS: int(0, 3_600_000).optional(),
  STAMP_API_LOCAL_ALLOWANCE: int(0, 1_000_000).default(10),

  STAMP_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  STAMP_WEBHOOK_SIGNED_PAYLOAD: z.enum(['timestamp.body', 'body']).default('timestamp.body'),
  STAMP_WEBHOOK_TOLERANCE_S: int(1, 3_600).default(60),
  SUBSCRIPTIONS_PER_CALLER: int(1, 10_000).default(20),
  SUBSCRIPTIONS_PER_INSTANCE: int(1, 1_000_000).default(10_000),
  STAMP_UNAVAILABLE_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),
  STAMP_API_CALLER_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
  STAMP_API_REFRESH_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
  STAMP_API_RATE_PER_MINUTE: int(1, 1_000_000).default(180),
  STAMP_API_RATE_PER_HOUR: int(1, 60_000_000).default(1_800),
  STAMP_API_MAX_QUEUE_WAIT_MS: int(0, 60_000).default(2_000),
  BREAKER_THRESHOLD: int(1, 1_000_000).default(5),
  BREAKER_COOLDOWN_MS: int(100, 600_000).default(5_000),
  REQUEST_DEADLINE_MS: int(100, 600_000).default(15_000),
});

export interface SecurityOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  introspection: boolean;
  graphiql: boolean;
  /** Browser origins allowed by CORS; empty: none (same origin only). */
  corsOrigins: string[];
  /** Only these operations run (id or sha256 hash → document), when given. */
  persistedOperations?: Record<string, string>;
  /** Distinct client-chosen operation names labelled in metrics; the rest count as `other`. */
  maxOperationNames: number;
  /** /metrics and /ready need `Authorization: Bearer <token>` when set. */
  metricsToken?: string;
  /** /metrics and /ready are served on this port only (on HOST), not on the GraphQL port, when set. */
  metricsPort?: number;
}

export interface MutationLimits {
  /** Mutations per minute per caller. */
  perCaller: number;
  /** addStamp, removeStamp, redeemStamp, redeemAndReissue per minute per caller and stamp. */
  perCallerAndStamp: number;
}

export interface ResilienceOptions {
  /**
   * Stamp reads are cached this long; 0 turns the cache (and shared in-flight reads) off. Default 5
   * minutes when changes are announced (webhooks on), else 3 s.
   */
  cacheTtlMs: number;
  /** A stamp the stamp API refused (unknown, expired, inactive, redeemed) is remembered this long; 0: never. */
  unavailableCacheTtlMs: number;
  /** The share of the minute's quota one caller may spend (an API key may be given its own). */
  callerShare: number;
  /** The share of the minute's quota spent refreshing known states that only aged past the TTL. */
  refreshShare: number;
  /** Outgoing calls per minute and per hour: the plan's limits (Personal: 180 and 1800). */
  ratePerMinute: number;
  ratePerHour: number;
  /** How long a call may wait for a quota slot before failing fast. */
  maxQueueWaitMs: number;
  /** Consecutive upstream failures that open the circuit breaker, and how long it stays open. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** How long one GraphQL request may take in all; upstream calls get what is left. */
  deadlineMs: number;
  /** Calls a minute one instance may still make while the fleet's shared quota cannot be reached. */
  localAllowance: number;
}

/** The stamp service's signed webhooks (POST /webhooks/vivoldi). */
export interface WebhookOptions {
  /** The route is served only with a secret (in sandbox mode one is made up for the embedded sandbox). */
  secret: string | undefined;
  /** What `v1` signs: `<t>.<raw body>` or the raw body alone. */
  signedPayload: 'timestamp.body' | 'body';
  /** How far `t` may be from now. */
  toleranceS: number;
}

export interface UpstreamOptions {
  /** Empty in sandbox mode until the embedded sandbox listens (see app.ts). */
  url: string;
  apiKey: string;
  timeoutMs: number;
  maxInFlight: number;
  userAgent: string;
  /** Retries of calls that are safe to repeat (validate, update). */
  retries: number;
}

export interface Config {
  port: number;
  host: string;
  production: boolean;
  /** `sandbox`: the embedded sandbox is started and used; `upstream`: the real (or a remote) stamp API. */
  mode: 'sandbox' | 'upstream';
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** auto: readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise. */
  logFormat: z.infer<typeof EnvSchema>['LOG_FORMAT'];
  shutdownTimeoutMs: number;
  dataDir: string;
  /** The embedded sandbox's preferred port (sandbox mode; a taken port falls back to a free one). */
  sandboxPort: number;
  upstream: UpstreamOptions;
  /**
   * PostgreSQL for the gateway's own state (and its schema); unset: embedded PGlite under dataDir.
   * `timeoutMs` bounds every statement, connection and lock wait; `startupTimeoutMs` the first contact.
   */
  database: { url: string | undefined; schema: string | undefined; timeoutMs: number; startupTimeoutMs: number };
  auth: AuthSettings;
  security: SecurityOptions;
  limits: MutationLimits;
  resilience: ResilienceOptions;
  webhooks: WebhookOptions;
  /** Open subscriptions, per caller (in each instance) and per instance. */
  subscriptions: { perCaller: number; perInstance: number };
}

/** Thrown for a bad environment; its message names every offending variable and its rule, never a value. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
}

/** Parses and validates the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(defined);
  if (!parsed.success) {
    // The rule, never the value: several variables hold secrets (keys, passwords in DATABASE_URL).
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.STAMP_API_URL && !e.STAMP_API_KEY) {
    throw new ConfigError('Invalid configuration:\n  STAMP_API_KEY: required when STAMP_API_URL is set');
  }
  const mode = e.STAMP_API_KEY ? 'upstream' : 'sandbox';
  if (e.JWT_SECRET && e.JWT_PUBLIC_KEY) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET, JWT_PUBLIC_KEY: give one, not both');
  }
  const hasCallers = Boolean(e.GATEWAY_API_KEYS_FILE || e.JWT_SECRET || e.JWT_PUBLIC_KEY);
  if (e.GATEWAY_AUTH === 'on' && !hasCallers && mode === 'upstream') {
    throw new ConfigError(
      'Refusing to start: STAMP_API_KEY is set but no callers are configured, so anyone could redeem rewards with it.\n  Set GATEWAY_API_KEYS_FILE and/or JWT_SECRET / JWT_PUBLIC_KEY (or GATEWAY_AUTH=off, deliberately).',
    );
  }
  let persistedOperations: Record<string, string> | undefined;
  if (e.PERSISTED_OPERATIONS_FILE) {
    try {
      persistedOperations = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(e.PERSISTED_OPERATIONS_FILE, 'utf8')));
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  PERSISTED_OPERATIONS_FILE: expected a JSON object of id -> document (${(error as Error).message.split('\n')[0]})`,
      );
    }
  }
  const production = e.NODE_ENV === 'production';
  // In sandbox mode the embedded sandbox sends its webhooks to this gateway, so changes are announced.
  const webhooksOn = Boolean(e.STAMP_WEBHOOK_SECRET) || mode === 'sandbox';
  return {
    port: e.PORT,
    // The sandbox has no callers configured yet, so by default it listens on this machine only.
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    production,
    mode,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    dataDir: e.DATA_DIR,
    sandboxPort: e.SANDBOX_PORT,
    upstream: {
      url: mode === 'upstream' ? (e.STAMP_API_URL ?? 'https://vivoldi.com') : '',
      apiKey: e.STAMP_API_KEY ?? '',
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxInFlight: e.UPSTREAM_MAX_IN_FLIGHT,
      userAgent: e.UPSTREAM_USER_AGENT,
      retries: e.UPSTREAM_RETRIES,
    },
    database: {
      url: e.DATABASE_URL,
      schema: e.DATABASE_SCHEMA,
      timeoutMs: e.DATABASE_TIMEOUT_MS,
      startupTimeoutMs: e.DATABASE_STARTUP_TIMEOUT_MS,
    },
    auth: {
      mode: e.GATEWAY_AUTH === 'off' ? 'off' : hasCallers ? 'enforced' : 'local-admin',
      apiKeysFile: e.GATEWAY_API_KEYS_FILE,
      jwtSecret: e.JWT_SECRET,
      jwtPublicKey: e.JWT_PUBLIC_KEY,
      jwtAlgorithm: e.JWT_ALGORITHM,
      jwtIssuer: e.JWT_ISSUER,
      jwtAudience: e.JWT_AUDIENCE,
      jwtMaxLifetimeS: e.JWT_MAX_LIFETIME_S,
    },
    security: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxCost: e.MAX_QUERY_COST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      introspection: e.GRAPHQL_INTROSPECTION ? e.GRAPHQL_INTROSPECTION === 'true' : !production,
      graphiql: e.GRAPHIQL ? e.GRAPHIQL === 'true' : !production,
      corsOrigins: (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      persistedOperations,
      maxOperationNames: e.METRICS_MAX_OPERATION_NAMES,
      metricsToken: e.METRICS_TOKEN,
      metricsPort: e.METRICS_PORT,
    },
    limits: { perCaller: e.MUTATIONS_PER_MINUTE, perCallerAndStamp: e.STAMP_MUTATIONS_PER_MINUTE },
    resilience: {
      cacheTtlMs: e.STAMP_READ_CACHE_TTL_MS ?? (webhooksOn ? 300_000 : 3_000),
      unavailableCacheTtlMs: e.STAMP_UNAVAILABLE_CACHE_TTL_MS,
      callerShare: e.STAMP_API_CALLER_SHARE,
      refreshShare: e.STAMP_API_REFRESH_SHARE,
      ratePerMinute: e.STAMP_API_RATE_PER_MINUTE,
      ratePerHour: e.STAMP_API_RATE_PER_HOUR,
      maxQueueWaitMs: e.STAMP_API_MAX_QUEUE_WAIT_MS,
      breakerThreshold: e.BREAKER_THRESHOLD,
      breakerCooldownMs: e.BREAKER_COOLDOWN_MS,
      deadlineMs: e.REQUEST_DEADLINE_MS,
      localAllowance: e.STAMP_API_LOCAL_ALLOWANCE,
    },
    webhooks: {
      secret: e.STAMP_WEBHOOK_SECRET,
      signedPayload: e.STAMP_WEBHOOK_SIGNED_PAYLOAD,
      toleranceS: e.STAMP_WEBHOOK_TOLERANCE_S,
    },
    subscriptions: { perCaller: e.SUBSCRIPTIONS_PER_CALLER, perInstance: e.SUBSCRIPTIONS_PER_INSTANCE },
  };
}
