import { z } from 'zod';

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
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got "${defined[String(i.path[0])]}")`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.STAMP_API_URL && !e.STAMP_API_KEY) {
    throw new ConfigError('Invalid configuration:\n  STAMP_API_KEY: required when STAMP_API_URL is set');
  }
  const mode = e.STAMP_API_KEY ? 'upstream' : 'sandbox';
  return {
    port: e.PORT,
    // The sandbox has no callers configured yet, so by default it listens on this machine only.
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    production: e.NODE_ENV === 'production',
    mode,
    upstream: {
      url: mode === 'upstream' ? (e.STAMP_API_URL ?? 'https://vivoldi.com') : '',
      apiKey: e.STAMP_API_KEY ?? '',
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxInFlight: e.UPSTREAM_MAX_IN_FLIGHT,
      userAgent: e.UPSTREAM_USER_AGENT,
    },
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    logLevel: e.LOG_LEVEL,
  };
}
