import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { UpstreamCallRecord } from '../upstream/client.js';
import { type Stamp, withoutSecrets } from '../upstream/mapping.js';
import { type Database, type DatabaseEvents, jsonParam, migrate, openPglite, openPostgres } from './database.js';
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

  private constructor(readonly db: Database) {}

  static async open(options: StoreOptions): Promise<GatewayStore> {
    const db = options.databaseUrl
      ? await openPostgres(options.databaseUrl, {
          schema: options.schema,
          timeoutMs: options.timeoutMs,
          startupTimeoutMs: options.startupTimeoutMs,
          onHealth: options.onHealth,
        })
      : await openPglite(options.dataDir ? join(options.dataDir, 'gateway') : undefined, { timeoutMs: options.timeoutMs });
    try {
      await migrate(db, 'gateway', GATEWAY_MIGRATIONS);
      const store = new GatewayStore(db);
      await db.registerOwner(store.owner);
      return store;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
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
   * Ends an attempt in one transaction: its history entry written, the attempt removed, its key
   * finished or released. Writing the same entry again (by its entryKey) changes nothing.
   */
  async completeAttempt(attemptId: string | null, entry: NewHistoryEntry, key: KeyOutcome | null, bound: Bound = {}): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(INSERT_HISTORY, historyParams(entry));
      if (attemptId) await tx.query('DELETE FROM mutation_attempts WHERE id = $1', [attemptId]);
      if (key && 'finish' in key) {
        await tx.query(`UPDATE idempotency_keys SET state = 'done', response = $3::jsonb WHERE caller = $1 AND key = $2`, [
          key.caller,
          key.key,
          jsonParam(key.finish),
        ]);
      } else if (key) {
        await tx.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2', [key.caller, key.key]);
      }
    }, bound);
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

  async listReissues(steps: ReissueStep[]): Promise<ReissueOperation[]> {
    const rows = await this.db.query('SELECT * FROM reissue_operations WHERE step = ANY($1::text[]) ORDER BY id', [steps]);
    return rows.map(toReissue);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
