import { createHash, randomUUID } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpstreamCallRecord } from '../upstream/client.js';
import { type Stamp, withoutSecrets } from '../upstream/mapping.js';
import {
  type Database,
  type DatabaseEvents,
  holdsDatabase,
  jsonParam,
  migrate,
  type OnFirstUse,
  openPglite,
  openPgliteOnFirstUse,
  openPostgres,
} from './database.js';
import { GATEWAY_MIGRATIONS } from './migrations.js';

// The advisory-lock namespace of per-stamp locks ("ST"), so other users of the database cannot collide.
const STAMP_LOCK_NAMESPACE = 0x5354;

export interface StoreOptions extends DatabaseEvents {
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** PostgreSQL schema for the gateway's tables (created when missing); default the connection's own. */
  schema?: string;
  /** Where PGlite keeps its files (`<dataDir>/gateway`); omit for an in-memory database. */
  dataDir?: string;
  /** Bound on every statement, connection and lock wait. @default 5000 */
  timeoutMs?: number;
  /** How long start-up waits for a first answer from PostgreSQL. @default 10000 */
  startupTimeoutMs?: number;
}

export interface IdempotencyRow {
  caller: string;
  key: string;
  operation: string;
  requestHash: string;
  state: 'running' | 'done';
  response: StoredResponse | null;
  owner: string;
  leaseUntil: Date;
  expiresAt: Date;
}

export type StoredResponse = { ok: true; payload: unknown } | { ok: false; message: string; extensions: Record<string, unknown> };

export type HistoryOutcome = 'APPLIED' | 'NOT_APPLIED' | 'UNKNOWN' | 'REPLAYED';

export interface HistoryEntry {
  id: string;
  at: Date;
  requestId: string | null;
  caller: string;
  operation: string;
  stampIdx: number | null;
  input: Record<string, unknown>;
  before: Stamp | null;
  after: Stamp | null;
  upstreamCalls: UpstreamCallRecord[];
  outcome: HistoryOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  idempotencyKey: string | null;
}

/** A history entry to write; `entryKey` makes writing it again (a retry from the outbox) harmless. */
export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'at'> & { entryKey: string };

/**
 * A mutation attempt, written before anything is sent to the stamp API (write-ahead) and removed when
 * its history entry is written. One left behind by a dead process tells recovery what may have happened.
 */
export interface AttemptRow {
  id: string;
  requestId: string | null;
  caller: string;
  operation: string;
  stampIdx: number | null;
  input: Record<string, unknown>;
  idempotencyKey: string | null;
  /** `started`: nothing sent yet; `sending`: a change call may have reached the stamp API. */
  state: 'started' | 'sending';
  /** The change call that may have been sent. */
  endpoint: string | null;
  owner: string;
  createdAt: Date;
}

export type ReissueStep = 'reading' | 'redeeming' | 'redeemed' | 'issuing' | 'finished' | 'parked';

/** The steps of a reissue that start-up recovery resumes: one left in them is unfinished work. */
export const UNFINISHED_REISSUE_STEPS: readonly ReissueStep[] = ['redeeming', 'issuing', 'redeemed'];

export interface ReissueOperation {
  id: string;
  caller: string;
  idempotencyKey: string;
  oldStampIdx: number;
  step: ReissueStep;
  oldStamp: Stamp | null;
  newWindow: { startDate: string; endDate: string } | null;
  newStampIdx: number | null;
  parkedReason: string | null;
  parkedStep: ReissueStep | null;
  owner: string;
  leaseUntil: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** What a key becomes when its attempt ends: its answer kept for replays, or freed for a retry. */
export type KeyOutcome = { caller: string; key: string } & ({ finish: StoredResponse } | { release: true });

/** Bounds for one store call. */
export interface Bound {
  timeoutMs?: number;
}

/** What every process sharing the database hears about a stamp that changed (or may have). */
export interface ChangeNotice {
  kind: 'change';
  /** null: a change of a stamp nobody could identify (drop everything known). */
  stampIdx: number | null;
  action: string;
  source: 'GATEWAY' | 'WEBHOOK';
  /** ISO 8601. */
  at: string;
  /** The webhook's Event-Id, or the history entry's id. */
  eventId: string | null;
  /** A webhook echoing a change made through the gateway, which was announced already: caches only. */
  echo?: boolean;
}

/** The advisory-lock space in which webhook events of one stamp pair with the gateway's changes. */
const ECHO_LOCK_SPACE = 0x534745; // "SGE"

/** The stamp API asked every process to slow down until `until` (epoch ms). */
export interface PauseNotice {
  kind: 'pause';
  until: number;
}

export type Notice = ChangeNotice | PauseNotice;

/** In an embedded database's directory after a clean shutdown: its next start may wait for a first use. */
const CLEAN_SHUTDOWN = '.clean-shutdown';

/** The channel every instance sharing a schema listens on (PostgreSQL's notices are per database, not per schema). */
function channelOf(schema: string | undefined): string {
  return schema ? `stamp_gateway_${createHash('sha256').update(schema).digest('hex').slice(0, 24)}` : 'stamp_gateway';
}

/** A stamp as the stamp API last confirmed it, and since when. */
export interface KnownState {
  stamp: Stamp;
  confirmedAt: Date;
}

function toIdempotency(r: Record<string, any>): IdempotencyRow {
  return {
    caller: r.caller,
    key: r.key,
    operation: r.operation,
    requestHash: r.request_hash,
    state: r.state,
    response: r.response,
    owner: r.owner,
    leaseUntil: new Date(r.lease_until),
    expiresAt: new Date(r.expires_at),
  };
}

function toHistory(r: Record<string, any>): HistoryEntry {
  return {
    id: String(r.id),
    at: new Date(r.at),
    requestId: r.request_id,
    caller: r.caller,
    operation: r.operation,
    stampIdx: r.stamp_idx,
    input: r.input,
    before: r.before_state,
    after: r.after_state,
    upstreamCalls: r.upstream_calls,
    outcome: r.outcome,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    idempotencyKey: r.idempotency_key,
  };
}

function toAttempt(r: Record<string, any>): AttemptRow {
  return {
    id: String(r.id),
    requestId: r.request_id,
    caller: r.caller,
    operation: r.operation,
    stampIdx: r.stamp_idx,
    input: r.input,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    endpoint: r.endpoint,
    owner: r.owner,
    createdAt: new Date(r.created_at),
  };
}

function toReissue(r: Record<string, any>): ReissueOperation {
  return {
    id: String(r.id),
    caller: r.caller,
    idempotencyKey: r.idempotency_key,
    oldStampIdx: r.old_stamp_idx,
    step: r.step,
    oldStamp: r.old_stamp,
    newWindow: r.new_window,
    newStampIdx: r.new_stamp_idx,
    parkedReason: r.parked_reason,
    parkedStep: r.parked_step,
    owner: r.owner,
    leaseUntil: new Date(r.lease_until),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Tables whose rows are deleted or rewritten as the gateway works (the history is append-only). */
const CHURNING_TABLES = ['mutation_attempts', 'idempotency_keys', 'webhook_events', 'reissue_operations'];
/** The embedded engine reclaims their space after this many ended attempts. */
export const RECLAIM_EVERY = 2_000;

const INSERT_HISTORY = `INSERT INTO mutation_history (entry_key, request_id, caller, operation, stamp_idx, input, before_state, after_state, upstream_calls, outcome, error_code, error_message, idempotency_key)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11, $12, $13) ON CONFLICT (entry_key) DO NOTHING`;

function historyParams(e: NewHistoryEntry): unknown[] {
  return [
    e.entryKey,
    e.requestId,
    e.caller,
    e.operation,
    e.stampIdx,
    jsonParam(e.input),
    jsonParam(withoutSecrets(e.before)),
    jsonParam(withoutSecrets(e.after)),
    jsonParam(e.upstreamCalls),
    e.outcome,
    e.errorCode,
    e.errorMessage,
    e.idempotencyKey,
  ];
}

/**
 * The gateway's durable state: idempotency keys, mutation attempts (write-ahead), the append-only
 * change history, the steps of redeem-and-reissue operations, and per-stamp locks that hold across
 * processes on PostgreSQL. Every call is bounded; a database that does not answer raises StateError.
 */
export class GatewayStore {
  /** This process; rows it leases carry it, so a restart can tell its own work from a dead process's. */
  readonly owner = randomUUID();

  private readonly channel: string;
  /** Attempts ended since the embedded engine last reclaimed space, and the reclaim running, if any. */
  private endedSinceReclaim = 0;
  private reclaiming: Promise<void> | undefined;

  private constructor(
    readonly db: Database,
    schema?: string,
    /** The embedded database's directory, where a clean shutdown is marked. */
    private readonly dataDir?: string,
  ) {
    this.channel = channelOf(schema);
  }

  static async open(options: StoreOptions): Promise<GatewayStore> {
    const dir = options.dataDir ? join(options.dataDir, 'gateway') : undefined;
    // The embedded database starts when first used (a gateway that only reads never needs it); a new
    // one is created at once (initdb takes seconds a first request should not wait). Only when fresh or
    // after a clean shutdown: after a crash it starts at once, to recover what was left.
    if (!options.databaseUrl && dir && (!holdsDatabase(dir) || existsSync(join(dir, CLEAN_SHUTDOWN)))) {
      const db = await openPgliteOnFirstUse(dir, { timeoutMs: options.timeoutMs, startupTimeoutMs: options.startupTimeoutMs });
      db.onStart({
        prepare: async (started) => {
          // Running now: a crash from here on leaves work for the next start to recover.
          rmSync(join(dir, CLEAN_SHUTDOWN), { force: true });
          await migrate(started, 'gateway', GATEWAY_MIGRATIONS);
        },
      });
      return new GatewayStore(db, undefined, dir);
    }
    const db = options.databaseUrl
      ? await openPostgres(options.databaseUrl, {
          schema: options.schema,
          timeoutMs: options.timeoutMs,
          startupTimeoutMs: options.startupTimeoutMs,
          onHealth: options.onHealth,
        })
      : await openPglite(dir, { timeoutMs: options.timeoutMs });
    try {
      if (dir && !options.databaseUrl) rmSync(join(dir, CLEAN_SHUTDOWN), { force: true });
      await migrate(db, 'gateway', GATEWAY_MIGRATIONS);
      const store = new GatewayStore(db, options.databaseUrl ? options.schema : undefined, options.databaseUrl ? undefined : dir);
      await db.registerOwner(store.owner);
      return store;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }

  /** Whether the database runs: false only for an embedded one that nothing has needed yet. */
  get started(): boolean {
    return !('started' in this.db) || (this.db as OnFirstUse).started;
  }

  /**
   * Runs `task` once the database runs: at once when it does, else each time it starts, awaited by
   * the use that starts it (start-up recovery of an embedded store waits for its first use).
   */
  async whenStarted(task: () => Promise<void>): Promise<void> {
    if (this.started) return task();
    (this.db as OnFirstUse).onStart({ afterStart: task });
  }

  get engine(): Database['engine'] {
    return this.db.engine;
  }

  /**
   * Whether a row belongs to a process that is gone: PGlite has one process per data directory, so any
   * other owner is a dead one; on PostgreSQL, one that no longer holds its liveness lock.
   */
  async ownerGone(owner: string): Promise<boolean> {
    if (owner === this.owner) return false;
    return !(await this.db.ownerAlive(owner));
  }

  /** Runs `fn` holding a lock on the stamp that every process sharing this database respects, until `until` at most. */
  withStampLock<T>(stampIdx: number, fn: () => Promise<T>, until: number): Promise<T> {
    return this.db.withLock(STAMP_LOCK_NAMESPACE, stampIdx, fn, until);
  }

  async ping(bound: Bound = {}): Promise<void> {
    // An embedded database nothing has needed yet is not started to answer a readiness check.
    if (!this.started) return;
    await this.db.query('SELECT 1', [], bound);
  }

  // Idempotency keys

  /** Claims a key for this request; when someone holds it already, returns their row instead. */
  async claimKey(
    args: { caller: string; key: string; operation: string; requestHash: string; leaseMs: number; ttlMs: number },
    bound: Bound = {},
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRow }> {
    // An expired key is as good as none: it may be claimed again.
    const rows = await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND expires_at < now()', [args.caller, args.key]);
      return tx.query(
        `INSERT INTO idempotency_keys (caller, key, operation, request_hash, state, owner, lease_until, expires_at)
         VALUES ($1, $2, $3, $4, 'running', $5, now() + ($6 * interval '1 millisecond'), now() + ($7 * interval '1 millisecond'))
         ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
        [args.caller, args.key, args.operation, args.requestHash, this.owner, args.leaseMs, args.ttlMs],
      );
    }, bound);
    if (rows.length === 1) return { claimed: true };
    const existing = await this.getKey(args.caller, args.key, bound);
    // Gone between the insert and the read (it finished releasing): claim again.
    return existing ? { claimed: false, existing } : this.claimKey(args, bound);
  }

  async getKey(caller: string, key: string, bound: Bound = {}): Promise<IdempotencyRow | undefined> {
    const rows = await this.db.query('SELECT * FROM idempotency_keys WHERE caller = $1 AND key = $2', [caller, key], bound);
    return rows[0] ? toIdempotency(rows[0]) : undefined;
  }

  async finishKey(caller: string, key: string, response: StoredResponse, bound: Bound = {}): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'done', response = $3::jsonb WHERE caller = $1 AND key = $2`,
      [caller, key, jsonParam(response)],
      bound,
    );
  }

  /** Forgets a key whose attempt provably changed nothing, so a retry runs again. */
  async releaseKey(caller: string, key: string, bound: Bound = {}): Promise<void> {
    await this.db.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2', [caller, key], bound);
  }

  async deleteExpiredKeys(): Promise<number> {
    return (await this.db.query('DELETE FROM idempotency_keys WHERE expires_at < now() RETURNING key')).length;
  }

  // Mutation attempts (write-ahead)

  /** Records an attempt before anything is sent for it. */
  async beginAttempt(
    a: Pick<AttemptRow, 'requestId' | 'caller' | 'operation' | 'stampIdx' | 'input' | 'idempotencyKey'>,
    bound: Bound = {},
  ): Promise<string> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO mutation_attempts (request_id, caller, operation, stamp_idx, input, idempotency_key, state, owner)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, 'started', $7) RETURNING id`,
      [a.requestId, a.caller, a.operation, a.stampIdx, jsonParam(a.input), a.idempotencyKey, this.owner],
      bound,
    );
    return String(rows[0]!.id);
  }

  /**
   * Records, before it is sent, that a change call may reach the stamp API. False when the attempt is
   * no longer this process's (recovery took it over): then nothing may be sent.
   */
  async markSending(attemptId: string, endpoint: string, bound: Bound = {}): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE mutation_attempts SET state = 'sending', endpoint = $2 WHERE id = $1 AND owner = $3 RETURNING id`,
      [attemptId, endpoint, this.owner],
      bound,
    );
    return rows.length === 1;
  }

  /**
   * Ends an attempt in one statement (so one transaction, one round trip): its history entry written,
   * the attempt removed, its key finished or released, and, for a change of a known stamp that happened
   * or may have, the stamp marked changed and its notice to every process (sent by PostgreSQL when the
   * statement commits: exactly once, with the entry). Writing the same entry again (by its entryKey)
   * changes nothing and announces nothing. Every part of a WITH runs to completion whatever the final
   * SELECT reads, and all of it commits or none.
   */
  async completeAttempt(
    attemptId: string | null,
    entry: NewHistoryEntry,
    key: KeyOutcome | null,
    bound: Bound = {},
    change?: Omit<ChangeNotice, 'kind' | 'eventId' | 'at'>,
  ): Promise<void> {
    const values = historyParams(entry);
    const param = (value: unknown) => `$${values.push(value)}`;
    const parts = [`entry AS (${INSERT_HISTORY} RETURNING id, at)`];
    if (attemptId) parts.push(`attempt AS (DELETE FROM mutation_attempts WHERE id = ${param(attemptId)})`);
    if (key && 'finish' in key) {
      parts.push(
        `answer AS (UPDATE idempotency_keys SET state = 'done', response = ${param(jsonParam(key.finish))}::jsonb WHERE caller = ${param(key.caller)} AND key = ${param(key.key)})`,
      );
    } else if (key) {
      parts.push(`answer AS (DELETE FROM idempotency_keys WHERE caller = ${param(key.caller)} AND key = ${param(key.key)})`);
    }
    let last = 'SELECT id FROM entry';
    if (change && change.stampIdx !== null) {
      parts.push(
        `changed AS (INSERT INTO stamp_states (stamp_idx, changed_at) SELECT ${param(change.stampIdx)}::integer, now() FROM entry
           ON CONFLICT (stamp_idx) DO UPDATE SET changed_at = now())`,
      );
      // The notice as announce() writes it: `at` in ISO 8601 (UTC, milliseconds), `eventId` the entry's id.
      const notice = `(${param(jsonParam({ kind: 'change', ...change }))}::jsonb || jsonb_build_object(
           'at', to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'eventId', entry.id::text))::text`;
      last = `SELECT pg_notify(${param(this.channel)}, ${notice}) FROM entry`;
    }
    await this.db.query(`WITH ${parts.join(',\n')}\n${last}`, values, bound);
    if (++this.endedSinceReclaim >= RECLAIM_EVERY) void this.reclaimSpace();
  }

  /**
   * Makes the space of deleted and updated rows reusable in the tables whose rows come and go (attempts,
   * keys, webhook events, reissue steps). PostgreSQL's autovacuum does this; the embedded engine runs in
   * one process without it, so those tables would grow with every mutation ever made, and the periodic
   * recovery sweep would scan all of it. Runs after the statement that triggered it, awaited by no
   * request (close waits for it); a failure changes nothing and the next round tries again. Nothing
   * to do on PostgreSQL.
   */
  reclaimSpace(): Promise<void> {
    this.endedSinceReclaim = 0;
    if (this.db.engine !== 'pglite') return Promise.resolve();
    this.reclaiming ??= this.db
      .query(`VACUUM ${CHURNING_TABLES.join(', ')}`)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.reclaiming = undefined));
    return this.reclaiming;
  }

  /** Attempts left by other processes, oldest first (whether their owners are gone is the caller's question). */
  async foreignAttempts(bound: Bound = {}): Promise<AttemptRow[]> {
    const rows = await this.db.query('SELECT * FROM mutation_attempts WHERE owner <> $1 ORDER BY id LIMIT 1000', [this.owner], bound);
    return rows.map(toAttempt);
  }

  /** The unfinished attempt holding a caller's key, if any. */
  async attemptOfKey(caller: string, key: string, bound: Bound = {}): Promise<AttemptRow | undefined> {
    const rows = await this.db.query(
      'SELECT * FROM mutation_attempts WHERE caller = $1 AND idempotency_key = $2 ORDER BY id DESC LIMIT 1',
      [caller, key],
      bound,
    );
    return rows[0] ? toAttempt(rows[0]) : undefined;
  }

  // Notices to every process, and what the stamp API last confirmed

  /** Marks the stamp changed (its known state no longer good) and tells every process, within `tx`. */
  private async announce(tx: Pick<Database, 'query'>, notice: Notice): Promise<void> {
    if (notice.kind === 'change') {
      if (notice.stampIdx === null) await tx.query('UPDATE stamp_states SET changed_at = now()');
      else {
        await tx.query(
          'INSERT INTO stamp_states (stamp_idx, changed_at) VALUES ($1, now()) ON CONFLICT (stamp_idx) DO UPDATE SET changed_at = now()',
          [notice.stampIdx],
        );
      }
    }
    await tx.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(notice)]);
  }

  /** Tells every process (this one included) something that needs no record: a pause, a change. */
  async notify(notice: Notice, bound: Bound = {}): Promise<void> {
    await this.db.transaction((tx) => this.announce(tx, notice), bound);
  }

  /** Hears every notice, this process's own included; `onGap` when some may have been missed. */
  listen(onNotice: (notice: Notice) => void, onGap: () => void): Promise<void> {
    return this.db.listen(
      this.channel,
      (payload) => {
        try {
          onNotice(JSON.parse(payload) as Notice);
        } catch {
          // A notice of another version or kind: nothing to do with it.
        }
      },
      onGap,
    );
  }

  /** The state the stamp API last confirmed, when no change has been announced since. */
  async knownState(stampIdx: number, bound: Bound = {}): Promise<KnownState | undefined> {
    // An embedded store nothing has started is not started for a cache: this process's own has what it knows.
    if (!this.started) return undefined;
    const rows = await this.db.query<{ state: Stamp; confirmed_at: Date }>(
      `SELECT state, confirmed_at FROM stamp_states
       WHERE stamp_idx = $1 AND state IS NOT NULL AND (changed_at IS NULL OR confirmed_at > changed_at)`,
      [stampIdx],
      bound,
    );
    return rows[0] ? { stamp: rows[0].state, confirmedAt: new Date(rows[0].confirmed_at) } : undefined;
  }

  /**
   * Keeps what the stamp API confirmed at `fetchedAt`, unless a change was announced after the read
   * began (then the state may be older than the change, and is not kept).
   */
  async saveKnownState(stamp: Stamp, fetchedAt: Date, bound: Bound = {}): Promise<void> {
    if (!this.started) return;
    await this.db.query(
      `INSERT INTO stamp_states (stamp_idx, state, confirmed_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (stamp_idx) DO UPDATE SET state = EXCLUDED.state, confirmed_at = EXCLUDED.confirmed_at
       WHERE (stamp_states.changed_at IS NULL OR stamp_states.changed_at < $3)
         AND (stamp_states.confirmed_at IS NULL OR stamp_states.confirmed_at < $3)`,
      [stamp.stampIdx, jsonParam(withoutSecrets(stamp)), fetchedAt],
      bound,
    );
  }

  // The index of stamp → user (the stamp API cannot be searched by user)

  /** Records whose stamps these are, as seen at `seenAt`; an older sighting never overwrites a newer one. */
  async indexStamps(sightings: Array<{ stampIdx: number; userId: string }>, seenAt: Date, bound: Bound = {}): Promise<void> {
    if (sightings.length === 0) return;
    await this.db.query(
      `INSERT INTO stamp_users (stamp_idx, user_id, seen_at)
       SELECT r.stamp_idx, r.user_id, $2 FROM jsonb_to_recordset($1::jsonb) AS r(stamp_idx integer, user_id text)
       ON CONFLICT (stamp_idx) DO UPDATE SET user_id = EXCLUDED.user_id, seen_at = EXCLUDED.seen_at
       WHERE stamp_users.seen_at <= EXCLUDED.seen_at`,
      [jsonParam(sightings.map((x) => ({ stamp_idx: x.stampIdx, user_id: x.userId }))), seenAt],
      bound,
    );
  }

  /** The stamps last seen belonging to `userId`, by stampIdx, after `afterIdx`; one more than asked tells if more exist. */
  async stampsOfUser(userId: string, first: number, afterIdx = 0, bound: Bound = {}): Promise<number[]> {
    const rows = await this.db.query<{ stamp_idx: number }>(
      'SELECT stamp_idx FROM stamp_users WHERE user_id = $1 AND stamp_idx > $2 ORDER BY stamp_idx LIMIT $3',
      [userId, afterIdx, first + 1],
      bound,
    );
    return rows.map((r) => Number(r.stamp_idx));
  }

  // Webhook events (each Event-Id handled once, whichever process hears it)

  /** Records an event before it is answered; false when it was recorded before (a replay). */
  async recordWebhook(event: { eventId: string; action: string; stampIdx: number | null }, bound: Bound = {}): Promise<boolean> {
    const rows = await this.db.query(
      'INSERT INTO webhook_events (event_id, action, stamp_idx) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id',
      [event.eventId, event.action, event.stampIdx],
      bound,
    );
    return rows.length === 1;
  }

  /**
   * Handles a recorded event once: marks it processed and announces its change in one transaction.
   * An event that echoes a change made through the gateway (one of `echoOf` operations on the same
   * stamp, in flight or ended within two minutes, not yet paired with an event) is paired with it and
   * announced as an echo: caches forget the stamp, but subscribers already had that change. False when
   * another process (or an earlier try) has handled the event.
   */
  async processWebhook(
    eventId: string,
    change: (event: { action: string; stampIdx: number | null; receivedAt: Date }) => ChangeNotice,
    echoOf: (action: string) => readonly string[],
    bound: Bound = {},
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ action: string; stamp_idx: number | null; received_at: Date }>(
        'UPDATE webhook_events SET processed = true, claimed_by = $2, claimed_at = now() WHERE event_id = $1 AND NOT processed RETURNING action, stamp_idx, received_at',
        [eventId, this.owner],
      );
      const event = rows[0];
      if (!event) return false;
      const notice = change({ action: event.action, stampIdx: event.stamp_idx, receivedAt: new Date(event.received_at) });
      const operations = echoOf(event.action);
      if (event.stamp_idx !== null && operations.length) {
        // One change at a time pairs with its echo: concurrent events of a stamp queue here.
        await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [ECHO_LOCK_SPACE, event.stamp_idx]);
        const echo = await tx.query<{ key: string }>(
          `SELECT key FROM (
             SELECT 'attempt:' || id AS key, created_at AS at FROM mutation_attempts
              WHERE stamp_idx = $1 AND operation = ANY($2::text[]) AND state = 'sending'
             UNION ALL
             SELECT entry_key AS key, at FROM mutation_history
              WHERE stamp_idx = $1 AND operation = ANY($2::text[]) AND outcome <> 'NOT_APPLIED'
                AND entry_key IS NOT NULL AND at > now() - interval '2 minutes'
           ) AS changes
           WHERE NOT EXISTS (SELECT 1 FROM webhook_events w WHERE w.echo_of = changes.key)
           ORDER BY at LIMIT 1`,
          [event.stamp_idx, operations],
        );
        if (echo[0]) {
          await tx.query('UPDATE webhook_events SET echo_of = $2 WHERE event_id = $1', [eventId, echo[0].key]);
          await this.announce(tx, { ...notice, echo: true });
          return true;
        }
      }
      await this.announce(tx, notice);
      return true;
    }, bound);
  }

  /** Forgets handled events older than `days`: a replay later than that is handled again. */
  async deleteOldWebhooks(days: number): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM webhook_events WHERE processed AND received_at < now() - ($1 * interval '1 day') RETURNING event_id`,
      [days],
    );
    return rows.length;
  }

  /** Recorded events not yet processed, older than `ms` (their process died, or is slow). */
  async pendingWebhooks(ms: number, bound: Bound = {}): Promise<string[]> {
    const rows = await this.db.query<{ event_id: string }>(
      `SELECT event_id FROM webhook_events WHERE NOT processed AND received_at < now() - ($1 * interval '1 millisecond') ORDER BY received_at LIMIT 500`,
      [ms],
      bound,
    );
    return rows.map((r) => r.event_id);
  }

  // Change history (append-only: a trigger refuses UPDATE and DELETE)

  async appendHistory(entry: NewHistoryEntry, bound: Bound = {}): Promise<void> {
    await this.db.query(INSERT_HISTORY, historyParams(entry), bound);
  }

  /** A stamp's history, newest first; `beforeId` pages on. Returns one more than asked to tell if more exist. */
  async listHistory(stampIdx: number, first: number, beforeId?: string): Promise<HistoryEntry[]> {
    const rows = beforeId
      ? await this.db.query('SELECT * FROM mutation_history WHERE stamp_idx = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [
          stampIdx,
          beforeId,
          first + 1,
        ])
      : await this.db.query('SELECT * FROM mutation_history WHERE stamp_idx = $1 ORDER BY id DESC LIMIT $2', [stampIdx, first + 1]);
    return rows.map(toHistory);
  }

  /** The newest state of a stamp the history knows, from any attempt. */
  async lastKnownState(stampIdx: number): Promise<Stamp | null> {
    const rows = await this.db.query<{ state: Stamp }>(
      `SELECT COALESCE(after_state, before_state) AS state FROM mutation_history
       WHERE stamp_idx = $1 AND (after_state IS NOT NULL OR before_state IS NOT NULL) ORDER BY id DESC LIMIT 1`,
      [stampIdx],
    );
    return rows[0]?.state ?? null;
  }

  // Redeem-and-reissue operations

  async findReissue(caller: string, idempotencyKey: string, bound: Bound = {}): Promise<ReissueOperation | undefined> {
    const rows = await this.db.query(
      'SELECT * FROM reissue_operations WHERE caller = $1 AND idempotency_key = $2',
      [caller, idempotencyKey],
      bound,
    );
    return rows[0] ? toReissue(rows[0]) : undefined;
  }

  async getReissue(id: string): Promise<ReissueOperation | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const rows = await this.db.query('SELECT * FROM reissue_operations WHERE id = $1', [id]);
    return rows[0] ? toReissue(rows[0]) : undefined;
  }

  async createReissue(
    args: { caller: string; idempotencyKey: string; oldStampIdx: number; leaseMs: number },
    bound: Bound = {},
  ): Promise<ReissueOperation> {
    const rows = await this.db.query(
      `INSERT INTO reissue_operations (caller, idempotency_key, old_stamp_idx, step, owner, lease_until)
       VALUES ($1, $2, $3, 'reading', $4, now() + ($5 * interval '1 millisecond')) RETURNING *`,
      [args.caller, args.idempotencyKey, args.oldStampIdx, this.owner, args.leaseMs],
      bound,
    );
    return toReissue(rows[0]!);
  }

  /** Records a step durably; it is written before the step's upstream call and after its answer. */
  async updateReissue(
    id: string,
    patch: Partial<Pick<ReissueOperation, 'step' | 'oldStamp' | 'newWindow' | 'newStampIdx' | 'parkedReason' | 'parkedStep'>> & {
      leaseMs?: number;
    },
    bound: Bound = {},
  ): Promise<ReissueOperation> {
    const rows = await this.db.query(
      `UPDATE reissue_operations SET
         step = COALESCE($2, step),
         old_stamp = COALESCE($3::jsonb, old_stamp),
         new_window = COALESCE($4::jsonb, new_window),
         new_stamp_idx = COALESCE($5, new_stamp_idx),
         parked_reason = CASE WHEN $2 = 'parked' THEN $6 WHEN $2 IS NULL THEN parked_reason ELSE NULL END,
         parked_step = CASE WHEN $2 = 'parked' THEN $7 WHEN $2 IS NULL THEN parked_step ELSE NULL END,
         owner = $8,
         lease_until = now() + (COALESCE($9, 0) * interval '1 millisecond'),
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [
        id,
        patch.step ?? null,
        jsonParam(withoutSecrets(patch.oldStamp)),
        jsonParam(patch.newWindow),
        patch.newStampIdx ?? null,
        patch.parkedReason ?? null,
        patch.parkedStep ?? null,
        this.owner,
        patch.leaseMs ?? null,
      ],
      bound,
    );
    return toReissue(rows[0]!);
  }

  async listReissues(steps: readonly ReissueStep[]): Promise<ReissueOperation[]> {
    const rows = await this.db.query('SELECT * FROM reissue_operations WHERE step = ANY($1::text[]) ORDER BY id', [steps]);
    return rows.map(toReissue);
  }

  /**
   * Closes the database. An embedded one is marked cleanly shut down when `clean` (nothing of this
   * process's left to write) and it holds no unfinished work: its next start may then wait for a use.
   */
  async close({ clean = true }: { clean?: boolean } = {}): Promise<void> {
    await this.reclaiming;
    const finished = clean && this.dataDir !== undefined && (!this.started || (await this.holdsNoUnfinishedWork()));
    await this.db.close();
    if (finished) writeFileSync(join(this.dataDir!, CLEAN_SHUTDOWN), `${new Date().toISOString()}\n`);
  }

  private async holdsNoUnfinishedWork(): Promise<boolean> {
    const rows = await this.db
      .query<{ n: number }>(
        `SELECT (SELECT count(*) FROM mutation_attempts)
              + (SELECT count(*) FROM reissue_operations WHERE step = ANY($1::text[]))
              + (SELECT count(*) FROM webhook_events WHERE NOT processed) AS n`,
        [UNFINISHED_REISSUE_STEPS],
        { timeoutMs: 2_000 },
      )
      .catch(() => [{ n: 1 }]);
    return Number(rows[0]?.n) === 0;
  }
}
