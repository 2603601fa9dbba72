import type { Migration } from './database.js';

/** The gateway's own durable state. Plain SQL that runs unchanged on PGlite and PostgreSQL. */
export const GATEWAY_MIGRATIONS: Migration[] = [
  {
    id: '001-idempotency-history-reissue',
    sql: `
      CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        key text NOT NULL,
        operation text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        response jsonb,
        owner text NOT NULL,
        lease_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (caller, key)
      );
      CREATE TABLE mutation_history (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        request_id text,
        caller text NOT NULL,
        operation text NOT NULL,
        stamp_idx integer,
        input jsonb NOT NULL,
        before_state jsonb,
        after_state jsonb,
        upstream_calls jsonb NOT NULL,
        outcome text NOT NULL,
        error_code text,
        error_message text,
        idempotency_key text
      );
      CREATE INDEX mutation_history_by_stamp ON mutation_history (stamp_idx, id DESC);
      CREATE FUNCTION mutation_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'mutation_history is append-only'; END $$;
      CREATE TRIGGER mutation_history_no_change BEFORE UPDATE OR DELETE ON mutation_history FOR EACH ROW EXECUTE FUNCTION mutation_history_append_only();
      CREATE TABLE reissue_operations (
        id bigserial PRIMARY KEY,
        caller text NOT NULL,
        idempotency_key text NOT NULL,
        old_stamp_idx integer NOT NULL,
        step text NOT NULL,
        old_stamp jsonb,
        new_window jsonb,
        new_stamp_idx integer,
        parked_reason text,
        parked_step text,
        owner text NOT NULL,
        lease_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (caller, idempotency_key)
      )`,
  },
  {
    id: '002-write-ahead-attempts',
    sql: `
      CREATE TABLE mutation_attempts (
        id bigserial PRIMARY KEY,
        request_id text,
        caller text NOT NULL,
        operation text NOT NULL,
        stamp_idx integer,
        input jsonb NOT NULL,
        idempotency_key text,
        state text NOT NULL CHECK (state IN ('started', 'sending')),
        endpoint text,
        owner text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX mutation_attempts_by_key ON mutation_attempts (caller, idempotency_key);
      ALTER TABLE mutation_history ADD COLUMN entry_key text;
      CREATE UNIQUE INDEX mutation_history_entry_key ON mutation_history (entry_key)`,
  },
  {
    id: '003-webhooks-known-states-fleet-calls',
    sql: `
      CREATE TABLE webhook_events (
        event_id text PRIMARY KEY,
        action text NOT NULL,
        stamp_idx integer,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed boolean NOT NULL DEFAULT false,
        claimed_by text,
        claimed_at timestamptz,
        echo_of text
      );
      CREATE INDEX webhook_events_pending ON webhook_events (received_at) WHERE NOT processed;
      CREATE UNIQUE INDEX webhook_events_echo_of ON webhook_events (echo_of) WHERE echo_of IS NOT NULL;
      CREATE TABLE stamp_states (
        stamp_idx integer PRIMARY KEY,
        state jsonb,
        confirmed_at timestamptz,
        changed_at timestamptz
      );
      CREATE TABLE fleet_calls (
        key text NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX fleet_calls_key_at ON fleet_calls (key, at)`,
  },
  {
    id: '004-stamp-users',
    sql: `
      CREATE TABLE stamp_users (
        stamp_idx integer PRIMARY KEY,
        user_id text NOT NULL,
        seen_at timestamptz NOT NULL
      );
      CREATE INDEX stamp_users_by_user ON stamp_users (user_id, stamp_idx)`,
  },
  {
    // A fleet limit's takes in one statement (fleet-limits.ts): the key's lock, the count of every window,
    // the insert of as many of p_count calls as fit them all, and how long the others wait; one round
    // trip for the takes of a key waiting in one process, where it was a transaction of six for each.
    // Each statement of a PL/pgSQL function reads a new snapshot, so the counts after the lock see every
    // call the lock's previous holder committed. Same lock as before: instances of both versions share
    // one budget during an upgrade.
    id: '005-fleet-take',
    sql: `
      CREATE FUNCTION fleet_take(p_space integer, p_key text, p_limits integer[], p_windows_ms bigint[], p_count integer,
                                 OUT granted integer, OUT wait integer)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        windows integer := coalesce(array_length(p_limits, 1), 0);
        n integer;
        free_in double precision;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_space, hashtext(p_key));
        granted := greatest(p_count, 0);
        FOR i IN 1 .. windows LOOP
          SELECT count(*)::int INTO n
            FROM (SELECT 1 FROM fleet_calls
                  WHERE key = p_key AND at > clock_timestamp() - p_windows_ms[i] * interval '1 millisecond'
                  ORDER BY at DESC LIMIT p_limits[i]) AS recent;
          granted := least(granted, greatest(p_limits[i] - n, 0));
        END LOOP;
        IF granted > 0 THEN
          INSERT INTO fleet_calls (key, at) SELECT p_key, clock_timestamp() FROM generate_series(1, granted);
        END IF;
        wait := 0;
        IF granted < p_count THEN
          -- A full window frees a slot when the oldest of its newest p_limits[i] calls leaves it.
          FOR i IN 1 .. windows LOOP
            SELECT count(*)::int,
                   EXTRACT(EPOCH FROM (min(at) + p_windows_ms[i] * interval '1 millisecond' - clock_timestamp())) * 1000
              INTO n, free_in
              FROM (SELECT at FROM fleet_calls
                    WHERE key = p_key AND at > clock_timestamp() - p_windows_ms[i] * interval '1 millisecond'
                    ORDER BY at DESC LIMIT p_limits[i]) AS recent;
            IF n >= p_limits[i] THEN
              wait := greatest(wait, greatest(1, ceil(coalesce(free_in, p_windows_ms[i]))::integer));
            END IF;
          END LOOP;
        END IF;
      END $$`,
  },
  {
    // Calls counted in buckets, not one row each: a take summed every call of the last hour under the
    // key's lock, so its cost (and the wait of every instance behind that lock) grew with the calls
    // made. Each window keeps at most 600 buckets of its 1/600th (100 ms of a minute, 6 s of an hour),
    // so a take reads a bounded number of rows. A bucket counts until its end leaves the window, so a
    // call is counted up to 1/600th of the window longer than it is, never shorter: the fleet never
    // passes a limit. The calls of the hour before this migration are carried over, and fleet_take
    // keeps its signature, so instances of both versions share one budget during an upgrade.
    id: '006-fleet-buckets',
    sql: `
      CREATE TABLE fleet_counts (
        key text NOT NULL,
        window_ms bigint NOT NULL,
        bucket bigint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (key, window_ms, bucket)
      );
      INSERT INTO fleet_counts (key, window_ms, bucket, n)
        SELECT key, w.ms, floor(extract(epoch FROM at) * 1000 / (w.ms / 600.0))::bigint, count(*)
          FROM fleet_calls, (VALUES (60000::bigint), (3600000::bigint)) AS w (ms)
         WHERE at > clock_timestamp() - w.ms * interval '1 millisecond'
         GROUP BY 1, 2, 3;
      TRUNCATE fleet_calls;
      CREATE OR REPLACE FUNCTION fleet_take(p_space integer, p_key text, p_limits integer[], p_windows_ms bigint[], p_count integer,
                                            OUT granted integer, OUT wait integer)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        windows integer := coalesce(array_length(p_limits, 1), 0);
        now_ms double precision;
        span double precision;
        n integer;
        last_bucket bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_space, hashtext(p_key));
        now_ms := extract(epoch FROM clock_timestamp()) * 1000;
        granted := greatest(p_count, 0);
        FOR i IN 1 .. windows LOOP
          SELECT coalesce(sum(c.n), 0)::int INTO n FROM fleet_counts c
           WHERE c.key = p_key AND c.window_ms = p_windows_ms[i]
             AND c.bucket >= floor((now_ms - p_windows_ms[i]) / (p_windows_ms[i] / 600.0));
          granted := least(granted, greatest(p_limits[i] - n, 0));
        END LOOP;
        IF granted > 0 THEN
          -- Once per window length: two windows of one length share their buckets.
          INSERT INTO fleet_counts (key, window_ms, bucket, n)
            SELECT p_key, w.ms, floor(now_ms / (w.ms / 600.0))::bigint, granted
              FROM (SELECT DISTINCT unnest(p_windows_ms) AS ms) AS w
            ON CONFLICT (key, window_ms, bucket) DO UPDATE SET n = fleet_counts.n + excluded.n;
        END IF;
        wait := 0;
        IF granted < p_count THEN
          -- A full window frees a slot when the bucket of its p_limits[i]-th newest call leaves it.
          FOR i IN 1 .. windows LOOP
            span := p_windows_ms[i] / 600.0;
            SELECT max(recent.bucket) INTO last_bucket
              FROM (SELECT c.bucket, sum(c.n) OVER (ORDER BY c.bucket DESC) AS newer
                      FROM fleet_counts c
                     WHERE c.key = p_key AND c.window_ms = p_windows_ms[i]
                       AND c.bucket >= floor((now_ms - p_windows_ms[i]) / span)) AS recent
             WHERE recent.newer >= p_limits[i];
            IF last_bucket IS NOT NULL OR p_limits[i] <= 0 THEN
              wait := greatest(wait, greatest(1, ceil(coalesce((last_bucket + 1) * span + p_windows_ms[i] - now_ms, p_windows_ms[i])))::integer);
            END IF;
          END LOOP;
        END IF;
      END $$`,
  },
];
