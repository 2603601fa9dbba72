import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Authenticator, type Caller, SCOPES } from './auth/authentication.js';
import { devJwtSecret, devSecretFile } from './auth/dev-tokens.js';
import { FleetMutationLimiter, SlidingWindowLimiter } from './auth/mutation-limits.js';
import type { Config } from './config.js';
import type { GatewayParts } from './gateway.js';
import { yogaLogger } from './logger.js';
import { GatewayMetrics } from './plugins/use-metrics.js';
import { WEBHOOK_PATH } from './plugins/use-webhooks.js';
import { operatorEndpoints, READY_CHECK_MS } from './plugins/use-operator-endpoints.js';
import { createSandbox, DEFAULT_SANDBOX_API_KEY, type Sandbox } from './sandbox/server.js';
import { StampLocks } from './stamps/locks.js';
import { Outbox } from './stamps/outbox.js';
import { recoverAttempts } from './stamps/recovery.js';
import { recoverReissues } from './stamps/redeem-and-reissue.js';
import { ChangeFeed } from './stamps/changes.js';
import { readStampOrNull } from './stamps/read.js';
import { type StampDeps, StampSession } from './stamps/session.js';
import { StampCache } from './stamps/stamp-cache.js';
import { StampUserIndex } from './stamps/user-index.js';
import { WebhookInbox } from './stamps/webhooks.js';
import { FleetLimits } from './store/fleet-limits.js';
import { DataDirError, StateError } from './store/database.js';
import { GatewayStore } from './store/store.js';
import { CircuitBreaker } from './upstream/breaker.js';
import { createUpstreamClient } from './upstream/client.js';
import { Quota } from './upstream/quota.js';
import { StampApi } from './upstream/stamp-api.js';

export type PartsConfig = Pick<
  Config,
  'upstream' | 'security' | 'limits' | 'resilience' | 'production' | 'database' | 'webhooks' | 'subscriptions'
>;

/** Who reads a stamp after a change, for the subscribers of every caller (each sees it through its own rules). */
const CHANGE_READER: Caller = { id: 'gateway:changes', kind: 'local-admin', scopes: new Set(SCOPES), customerUserId: null, quotaShare: 1 };

/** A start-up problem to report in one line (naming the variable to change) before exiting 1. */
export class StartupError extends Error {
  override name = 'StartupError' as const;
}

/** How often attempts left by other (dead) instances are looked for. */
const ATTEMPT_SWEEP_MS = 5_000;

/**
 * Builds the gateway's parts once: one quota, breaker, cache, metrics and stamp API client for every
 * request; on PostgreSQL the quota and the mutation limits are the fleet's, and every instance hears
 * every change (cache invalidation, subscriptions, pauses asked by the stamp API).
 */
export async function buildParts(
  config: PartsConfig,
  deps: { store: GatewayStore; auth: Authenticator; logger?: Logger; readyChecks?: Record<string, () => Promise<void>> },
): Promise<GatewayParts> {
  const { upstream, resilience, security, limits } = config;
  const { store, logger } = deps;
  // The budgets counted for the whole fleet; an embedded store has one process, which counts alone.
  const fleet = store.engine === 'postgres' ? new FleetLimits(store.db, config.database.timeoutMs) : undefined;
  const quota = new Quota({
    perMinute: resilience.ratePerMinute,
    perHour: resilience.ratePerHour,
    maxQueueWaitMs: resilience.maxQueueWaitMs,
    callerShare: resilience.callerShare,
    fleet,
    localAllowance: resilience.localAllowance,
    // A 429 here pauses every instance.
    onPause: (until) =>
      void store
        .notify({ kind: 'pause', until })
        .catch((error: Error) => logger?.warn({ error: error.message }, 'could not tell the other instances to pause')),
  });
  const breaker = new CircuitBreaker({ threshold: resilience.breakerThreshold, cooldownMs: resilience.breakerCooldownMs });
  const cache = new StampCache({ ttlMs: resilience.cacheTtlMs, unavailableTtlMs: resilience.unavailableCacheTtlMs });
  const metrics = new GatewayMetrics(quota, breaker, cache, () => changes.size);
  const client = createUpstreamClient({
    baseUrl: upstream.url,
    apiKey: upstream.apiKey,
    timeoutMs: upstream.timeoutMs,
    userAgent: upstream.userAgent,
    maxInFlight: upstream.maxInFlight,
    retryLimit: upstream.retries,
    quota,
    breaker,
    onCall: (record, { requestId, reported }) => {
      metrics.recordUpstream(record);
      // A query's or mutation's calls are listed in its operation line; the others get a line each.
      if (!reported) logger?.info({ requestId, ...record }, 'stamp api call');
    },
  });
  let readCount = 0;
  const changes = new ChangeFeed(
    cache,
    (stampIdx) => readStampOrNull(new StampSession(stamps, CHANGE_READER, `change-${++readCount}`), stampIdx),
    (until) => quota.pause(until),
    logger,
  );
  const userIndex = new StampUserIndex(store, logger);
  const stamps: StampDeps = {
    client,
    store,
    cache,
    locks: new StampLocks(store),
    limiter: fleet ? new FleetMutationLimiter((key, windows) => fleet.take(key, windows)) : new SlidingWindowLimiter(),
    limits,
    deadlineMs: resilience.deadlineMs,
    // A key is held no longer than its request may run.
    leaseMs: resilience.deadlineMs + 5_000,
    stateTimeoutMs: config.database.timeoutMs,
    outbox: new Outbox(logger, 10_000, config.database.timeoutMs),
    sharedStates: resilience.cacheTtlMs > 0,
    // Without webhooks nothing says a known state is still right: it is refreshed like any read.
    refreshShare: config.webhooks.secret ? resilience.refreshShare : undefined,
    userIndex,
    changes,
    subscriptionLimits: config.subscriptions,
    log: logger,
  };
  const { secret } = config.webhooks;
  const webhooks = secret
    ? new WebhookInbox(
        store,
        {
          secret,
          signedPayload: config.webhooks.signedPayload,
          toleranceS: config.webhooks.toleranceS,
          timeoutMs: Math.min(config.database.timeoutMs, 2_000),
        },
        logger,
        userIndex,
      )
    : undefined;
  if (!webhooks)
    logger?.info('no STAMP_WEBHOOK_SECRET: POST /webhooks/vivoldi is not served (404), and stamp reads are cached for the short TTL');
  await changes.start(store);
  webhooks?.start();
  return {
    security,
    auth: deps.auth,
    metrics,
    logger,
    yogaLogger: logger && yogaLogger(logger, config.production),
    stamps,
    webhooks,
    operator: operatorEndpoints({
      metrics,
      token: security.metricsToken,
      readyChecks: {
        database: () => store.ping({ timeoutMs: READY_CHECK_MS }),
        upstream: async () => {
          if (breaker.state === 'open') throw new Error('the circuit breaker on the stamp API is open');
        },
        ...(fleet ? { quota: () => quota.checkFleet() } : {}),
        ...deps.readyChecks,
      },
    }),
    async close() {
      changes.close();
      await webhooks?.stop();
      await userIndex.close();
    },
  };
}

/** Starts the embedded sandbox on its preferred port, or on a free one when that is taken. */
async function startEmbeddedSandbox(config: Config, log: Logger): Promise<Sandbox> {
  const options = {
    host: '127.0.0.1',
    dataDir: join(config.dataDir, 'sandbox'),
    apiKeys: [{ key: DEFAULT_SANDBOX_API_KEY, plan: 'premium' as const }],
    log: (message: string, detail: Record<string, unknown>) => log.error({ component: 'sandbox', ...detail }, message),
  };
  const sandbox = await createSandbox({ ...options, port: config.sandboxPort }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    log.warn(`port ${config.sandboxPort} is taken; the sandbox takes a free one`);
    return createSandbox({ ...options, port: 0 });
  });
  log.info(
    { sandboxUrl: sandbox.url },
    `sandbox mode: no STAMP_API_KEY, so the embedded stamp API sandbox serves at ${sandbox.url} (state in ${options.dataDir})`,
  );
  return sandbox;
}

export interface App {
  parts: GatewayParts;
  sandbox: Sandbox | undefined;
  /** The gateway listens at `url`: the embedded sandbox sends its webhooks there. */
  listening(url: string): void;
  close(): Promise<void>;
}

/**
 * Start-up: the embedded sandbox (sandbox mode), the state store, the callers, the parts; then the
 * sweep of expired idempotency keys and the recovery of what a stopped gateway left behind.
 */
export async function startApp(config: Config, log: Logger): Promise<App> {
  let upstream = config.upstream;
  let sandbox: Sandbox | undefined;
  if (config.mode === 'sandbox') {
    try {
      sandbox = await startEmbeddedSandbox(config, log);
    } catch (error) {
      if (error instanceof DataDirError) throw new StartupError(error.message);
      throw error;
    }
    upstream = { ...upstream, url: sandbox.url, apiKey: sandbox.apiKey };
  } else {
    log.info({ upstreamUrl: upstream.url }, `upstream mode: calling the stamp API at ${upstream.url}`);
  }
  // Sandbox mode without a JWT key accepts the development tokens `npm run token` signs (see dev-tokens.ts);
  // requests without a token still act as the local administrator.
  const devTokens = config.mode === 'sandbox' && config.auth.mode === 'local-admin' && !config.auth.jwtSecret && !config.auth.jwtPublicKey;
  const auth = await Authenticator.create(devTokens ? { ...config.auth, jwtSecret: devJwtSecret(config.dataDir) } : config.auth);
  if (devTokens)
    log.info(`sandbox mode: development tokens from \`npm run token\` are accepted (secret in ${devSecretFile(config.dataDir)})`);
  if (config.auth.mode === 'off') log.warn('GATEWAY_AUTH=off: every request acts as an administrator. Never expose this gateway.');
  if (config.auth.mode === 'local-admin') {
    log.warn(
      'NO CALLERS CONFIGURED: sandbox mode, so requests without a token act as a LOCAL ADMINISTRATOR. Configure GATEWAY_API_KEYS_FILE or JWT_* before exposing this gateway.',
    );
  }
  let store: GatewayStore;
  try {
    store = await GatewayStore.open({
      databaseUrl: config.database.url,
      schema: config.database.schema,
      dataDir: config.dataDir,
      timeoutMs: config.database.timeoutMs,
      startupTimeoutMs: config.database.startupTimeoutMs,
      onHealth: (healthy, reason) =>
        healthy
          ? log.info('the state store answers again: mutations are accepted')
          : log.warn({ reason }, 'the state store does not answer: mutations are refused (STATE_UNAVAILABLE) until it does; reads go on'),
    });
  } catch (error) {
    await sandbox?.close();
    if (error instanceof StateError) throw new StartupError(`DATABASE_URL: ${error.reason}`);
    if (error instanceof DataDirError) throw new StartupError(error.message);
    throw error;
  }
  log.info(
    store.engine === 'postgres'
      ? 'gateway state in PostgreSQL (DATABASE_URL)'
      : `gateway state in embedded PGlite under ${join(config.dataDir, 'gateway')}${store.started ? '' : ' (started when first needed)'}`,
  );

  // The embedded sandbox plays the stamp service's webhooks, signed with a secret made up for this run
  // (or STAMP_WEBHOOK_SECRET), so the whole loop runs locally.
  const webhooks = sandbox ? { ...config.webhooks, secret: config.webhooks.secret ?? randomBytes(32).toString('hex') } : config.webhooks;
  const embedded = sandbox;
  const parts = await buildParts(
    { ...config, upstream, webhooks },
    {
      store,
      auth,
      logger: log,
      readyChecks: embedded
        ? {
            sandbox: async () => {
              const res = await fetch(`${embedded.url}/health`);
              if (!res.ok) throw new Error(`the embedded sandbox answered ${res.status}`);
            },
          }
        : {},
    },
  );

  // The sandbox's stamps are known from the start: its customers find their cards with myStamps at
  // once (with a real stamp API an operator backfills the index with `npm run index-stamps`).
  if (sandbox) {
    let n = 0;
    for (const row of sandbox.state.stamps.values()) {
      parts.stamps.userIndex.seenUser(row.stampIdx, row.userId);
      if (++n % 5_000 === 0) await parts.stamps.userIndex.flush();
    }
    await parts.stamps.userIndex.flush();
  }

  // Idempotency keys live 24 h; a key never reused would otherwise stay forever.
  const sweepKeys = () =>
    store.deleteExpiredKeys().then(
      (n) => n && log.info({ deleted: n }, 'expired idempotency keys removed'),
      (error: Error) => log.warn({ error: error.message }, 'could not remove expired idempotency keys'),
    );
  const sweep = setInterval(() => void (store.started && sweepKeys()), 3_600_000);
  sweep.unref();
  // What a stopped gateway left: attempts in flight get their history entries and their keys settled;
  // redeem-and-reissue steps are finished or parked. Recovery calls the stamp API through the same
  // client as every request: quota, breaker, metrics. An embedded store that already exists starts on
  // its first use (a mutation, a history read), and recovers then, before that use goes on.
  await store.whenStarted(async () => {
    if (store.engine === 'pglite') log.info('the embedded state store started');
    await sweepKeys();
    await recoverAttempts(store, log);
    // What an embedded store's earlier runs left to reclaim, before requests queue behind it.
    await store.reclaimSpace();
    const recovered = await recoverReissues(store, new StampApi(parts.stamps.client, 'start-up-recovery'), parts.stamps.leaseMs);
    if (recovered.parked || recovered.finished) {
      log.warn(
        recovered,
        'redeem-and-reissue operations left by a stopped gateway: finished the safe ones, parked the ambiguous ones for an operator',
      );
    }
  });
  // Other instances sharing PostgreSQL may die too: their attempts are resolved as soon as they are gone.
  const attemptSweep = setInterval(() => void (store.started && recoverAttempts(store, log).catch(() => undefined)), ATTEMPT_SWEEP_MS);
  attemptSweep.unref();
  return {
    parts,
    sandbox,
    listening(url) {
      if (!embedded || !webhooks.secret) return;
      embedded.webhooks.setTarget({ url: `${url}${WEBHOOK_PATH}`, secret: webhooks.secret, signedPayload: webhooks.signedPayload });
      log.info(`the embedded sandbox sends its webhooks to ${url}${WEBHOOK_PATH}`);
    },
    async close() {
      clearInterval(sweep);
      clearInterval(attemptSweep);
      await parts.close();
      const left = await parts.stamps.outbox.flush(2_000);
      if (left) log.error({ left }, 'outbox entries not written before shutdown: start-up recovery will record them from their attempts');
      // Entries left unwritten: the next start recovers them from their attempts, at once.
      await Promise.all([store.close({ clean: left === 0 }), sandbox?.close(), parts.stamps.client.close()]);
    },
  };
}
