import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AuthSettings } from './auth/callers.js';
import type { ResilienceOptions, SecurityOptions } from './gateway.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();

const EnvSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  STAMP_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  STAMP_API_KEY: z.string().min(1).optional(),
  UPSTREAM_TIMEOUT_MS: positiveMs.default(10_000),
  UPSTREAM_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1024).default(32),
  UPSTREAM_USER_AGENT: z.string().min(3).default('StampGateway/0.1 (+https://github.com/stamp-gateway)'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_AUTH: z.enum(['on', 'off']).default('on'),
  GATEWAY_API_KEYS_FILE: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_ALGORITHM: z.enum(['RS256', 'ES256']).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_MAX_LIFETIME_S: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
  GRAPHIQL: z.enum(['true', 'false']).optional(),
  CORS_ORIGINS: z.string().optional(),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(8),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(1).max(500).default(15),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(50).max(100_000).default(2_000),
  MAX_QUERY_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  STAMP_READ_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(3_000),
  STAMP_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(180),
  STAMP_API_RATE_PER_HOUR: z.coerce.number().int().min(1).default(1_800),
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  STAMP_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  METRICS_MAX_OPERATION_NAMES: z.coerce.number().int().min(0).max(10_000).default(100),
});

export interface Config {
  port: number;
  host: string;
  production: boolean;
  /** `sandbox`: the embedded sandbox is started and used; `upstream`: the real (or a remote) stamp API. */
  mode: 'sandbox' | 'upstream';
  upstream: {
    /** Filled in at start-up in sandbox mode, once the sandbox listens. */
    url: string;
    apiKey: string;
    timeoutMs: number;
    maxInFlight: number;
    userAgent: string;
  };
  dataDir: string;
  auth: AuthSettings;
  security: SecurityOptions;
  resilience: Partial<ResilienceOptions>;
  shutdownTimeoutMs: number;
  /** PostgreSQL for the gateway's own state; unset: embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema for the gateway's tables; default the connection's own search path. */
  databaseSchema: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** Thrown for a bad environment; its message names every offending variable. */
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
      throw new ConfigError(`Invalid configuration:\n  PERSISTED_OPERATIONS_FILE: expected a JSON object of id -> document (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    // The sandbox has no callers configured yet, so by default it listens on this machine only.
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    production,
    mode,
    upstream: {
      url: mode === 'upstream' ? (e.STAMP_API_URL ?? 'https://vivoldi.com') : '',
      apiKey: e.STAMP_API_KEY ?? '',
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxInFlight: e.UPSTREAM_MAX_IN_FLIGHT,
      userAgent: e.UPSTREAM_USER_AGENT,
    },
    dataDir: e.DATA_DIR,
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
      corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      persistedOperations,
      mutations: { perCaller: e.MUTATIONS_PER_MINUTE, perCallerAndStamp: e.STAMP_MUTATIONS_PER_MINUTE },
      maxOperationNames: e.METRICS_MAX_OPERATION_NAMES,
    },
    resilience: {
      cacheTtlMs: e.STAMP_READ_CACHE_TTL_MS,
      ratePerMinute: e.STAMP_API_RATE_PER_MINUTE,
      ratePerHour: e.STAMP_API_RATE_PER_HOUR,
      deadlineMs: e.REQUEST_DEADLINE_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    logLevel: e.LOG_LEVEL,
  };
}
