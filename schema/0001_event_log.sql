-- The append-only event log.
--
-- Ordering rule: global_position is handed out before commit, so positions can commit out of
-- order. Every row also records the writing transaction (xact_id). Readers page by
-- (xact_id, global_position) and only read rows whose transaction is older than every
-- transaction still running (pg_snapshot_xmin), so a row that commits late is never skipped,
-- and writers never wait for one another.

CREATE SCHEMA IF NOT EXISTS muster;

-- Roles are cluster-wide, so create them only once. The application's role may read and
-- insert; the reporting role may only read. Login roles are granted one of these.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_app') THEN
        CREATE ROLE muster_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_reader') THEN
        CREATE ROLE muster_reader NOLOGIN;
    END IF;
END
$$;

CREATE TABLE muster.events (
    global_position bigint GENERATED ALWAYS AS IDENTITY,
    stream_id       text        NOT NULL,
    stream_version  integer     NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    xact_id         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (global_position),
    -- The expected-version check: of two writers claiming the same version, one fails here.
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    -- Idempotent appends: a retried event id is found here.
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_check CHECK (stream_version >= 1),
    CONSTRAINT events_stream_id_check CHECK (stream_id ~ '^[a-z][a-z0-9_]*-[A-Za-z0-9._:-]+$' AND length(stream_id) <= 200),
    CONSTRAINT events_event_type_check CHECK (length(event_type) BETWEEN 1 AND 200),
    CONSTRAINT events_data_object_check CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT events_metadata_actor_check CHECK (metadata ? 'actor_id' AND metadata ? 'actor_role'),
    CONSTRAINT events_hash_length_check CHECK (length(hash) = 32 AND length(prev_hash) = 32)
);

COMMENT ON TABLE muster.events IS 'Append-only event log. Corrections are new events, never updates.';

-- Catch-up reads page through this index in log order.
CREATE INDEX events_xact_position_idx ON muster.events (xact_id, global_position);
-- Category reads (all trainees, all policies).
CREATE INDEX events_category_idx ON muster.events (split_part(stream_id, '-', 1), xact_id, global_position);

-- Refuses any change to stored history, whoever asks (owner and superuser included, unless
-- they disable triggers, which the audit's hash chain then exposes).
CREATE FUNCTION muster.refuse_history_change() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'MU001',
        MESSAGE = format('%I.%I is append-only: %s is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP),
        HINT = 'record a correcting event (EntryCorrected or EntryRetracted) that names the event it amends';
END
$$;

CREATE TRIGGER events_refuse_update_delete
    BEFORE UPDATE OR DELETE ON muster.events
    FOR EACH ROW EXECUTE FUNCTION muster.refuse_history_change();

CREATE TRIGGER events_refuse_truncate
    BEFORE TRUNCATE ON muster.events
    FOR EACH STATEMENT EXECUTE FUNCTION muster.refuse_history_change();

-- Seals: a periodic digest over every stream's head, chained seal to seal.
CREATE TABLE muster.seals (
    seal_id        bigint GENERATED ALWAYS AS IDENTITY,
    sealed_at      timestamptz NOT NULL,
    -- The snapshot the seal was taken on: every event visible in it is covered.
    snapshot       pg_snapshot NOT NULL,
    stream_count   integer     NOT NULL,
    event_count    bigint      NOT NULL,
    heads_digest   bytea       NOT NULL,
    prev_seal_hash bytea       NOT NULL,
    seal_hash      bytea       NOT NULL,
    CONSTRAINT seals_pkey PRIMARY KEY (seal_id)
);

CREATE TABLE muster.seal_heads (
    seal_id        bigint  NOT NULL,
    stream_id      text    NOT NULL,
    stream_version integer NOT NULL,
    hash           bytea   NOT NULL,
    CONSTRAINT seal_heads_pkey PRIMARY KEY (seal_id, stream_id),
    CONSTRAINT seal_heads_seal_fkey FOREIGN KEY (seal_id) REFERENCES muster.seals (seal_id)
);

CREATE TRIGGER seals_refuse_update_delete
    BEFORE UPDATE OR DELETE ON muster.seals
    FOR EACH ROW EXECUTE FUNCTION muster.refuse_history_change();
CREATE TRIGGER seals_refuse_truncate
    BEFORE TRUNCATE ON muster.seals
    FOR EACH STATEMENT EXECUTE FUNCTION muster.refuse_history_change();
CREATE TRIGGER seal_heads_refuse_update_delete
    BEFORE UPDATE OR DELETE ON muster.seal_heads
    FOR EACH ROW EXECUTE FUNCTION muster.refuse_history_change();
CREATE TRIGGER seal_heads_refuse_truncate
    BEFORE TRUNCATE ON muster.seal_heads
    FOR EACH STATEMENT EXECUTE FUNCTION muster.refuse_history_change();

-- Privileges: the application inserts and reads; nobody is granted UPDATE, DELETE or TRUNCATE.
REVOKE ALL ON ALL TABLES IN SCHEMA muster FROM PUBLIC;
GRANT USAGE ON SCHEMA muster TO muster_app, muster_reader;
GRANT SELECT, INSERT ON muster.events, muster.seals, muster.seal_heads TO muster_app;
GRANT SELECT ON muster.events, muster.seals, muster.seal_heads TO muster_reader;
