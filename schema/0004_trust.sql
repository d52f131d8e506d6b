-- The database decides what a client must not.
--
-- Every row's global_position, xact_id, recorded_at, prev_hash and hash are set here, on
-- insert, whatever the client sent: a client (the application's role included) cannot
-- backdate a record, choose its hash, or hide it behind a future transaction id. The hash
-- covers the canonical form written down in docs/HASH-CHAIN.md, computed from the stored
-- columns themselves, so anyone with an export can recompute it.
--
-- Restores: a database restored into another cluster keeps its stored xact_id values, but the
-- new cluster's transaction counter starts elsewhere. The log therefore stores transaction ids
-- in its own space: the cluster's id plus an offset (muster.log_epochs). After a restore the
-- first Muster connection calls muster.ensure_log_epoch(), which starts a new epoch whose
-- offset puts every new transaction after every restored one; readers compare with
-- muster.log_horizon(), the cluster's safe horizon in the same space.

-- 1. The log's own transaction-id space.
CREATE TABLE muster.log_epochs (
    epoch          integer     NOT NULL,
    xact_offset    bigint      NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    -- The highest stored xact_id when the epoch began (NULL for the first).
    after_xact_id  xid8,
    CONSTRAINT log_epochs_pkey PRIMARY KEY (epoch),
    CONSTRAINT log_epochs_offset_check CHECK (xact_offset >= 0)
);
INSERT INTO muster.log_epochs (epoch, xact_offset) VALUES (1, 0);

CREATE FUNCTION muster.log_xact_offset() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT e.xact_offset FROM muster.log_epochs AS e ORDER BY e.epoch DESC LIMIT 1);

-- The safe horizon in the log's space: every transaction below it has finished.
CREATE FUNCTION muster.log_horizon() RETURNS xid8
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN ((pg_snapshot_xmin(pg_current_snapshot())::text::numeric + muster.log_xact_offset())::text)::xid8;

-- Starts a new epoch when stored transaction ids are ahead of this cluster's counter (a
-- restore into another cluster). Idempotent; safe to call on every connection.
CREATE FUNCTION muster.ensure_log_epoch() RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _newest xid8;
    _current numeric;
    _offset bigint;
    _epoch integer;
BEGIN
    SELECT e.xact_offset, e.epoch INTO _offset, _epoch FROM muster.log_epochs AS e ORDER BY e.epoch DESC LIMIT 1;
    SELECT ev.xact_id INTO _newest FROM muster.events AS ev ORDER BY ev.xact_id DESC LIMIT 1;
    -- The next transaction id this cluster will hand out (no id is taken to learn it).
    _current := pg_snapshot_xmax(pg_current_snapshot())::text::numeric;
    IF _newest IS NULL OR _newest::text::numeric < _current + _offset THEN
        RETURN _epoch;
    END IF;
    LOCK TABLE muster.log_epochs IN EXCLUSIVE MODE;
    SELECT e.xact_offset, e.epoch INTO _offset, _epoch FROM muster.log_epochs AS e ORDER BY e.epoch DESC LIMIT 1;
    IF _newest::text::numeric < _current + _offset THEN
        RETURN _epoch;
    END IF;
    INSERT INTO muster.log_epochs (epoch, xact_offset, after_xact_id)
    VALUES (_epoch + 1, (_newest::text::numeric - _current + 1)::bigint, _newest);
    RETURN _epoch + 1;
END
$$;

-- 2. global_position from a sequence the trigger alone uses.
ALTER TABLE muster.events ALTER COLUMN global_position DROP IDENTITY IF EXISTS;
CREATE SEQUENCE muster.events_position_seq AS bigint OWNED BY muster.events.global_position;
SELECT setval('muster.events_position_seq', coalesce((SELECT max(global_position) FROM muster.events), 0) + 1, false);
ALTER TABLE muster.events ALTER COLUMN recorded_at DROP DEFAULT, ALTER COLUMN xact_id DROP DEFAULT;

-- Rows from before this migration were hashed by the client (format 1); from now on the
-- database hashes every row (format 2, docs/HASH-CHAIN.md).
ALTER TABLE muster.events ADD COLUMN hash_format smallint NOT NULL DEFAULT 1;
ALTER TABLE muster.events ADD CONSTRAINT events_hash_format_check CHECK (hash_format IN (1, 2));

-- 3. The canonical bytes of an event (format 2). Each field is length-prefixed so no two
-- events share bytes; integers are 8-byte big-endian; times are microseconds since 1970 UTC.
-- PL/pgSQL rather than SQL: the stamp calls it on every insert, and PL/pgSQL keeps its plan
-- where a SQL function would be planned again on each call.
CREATE FUNCTION muster.event_content(
    stream_id text, stream_version integer, event_id uuid, event_type text, schema_version integer,
    data jsonb, metadata jsonb, occurred_at timestamptz) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN int4send(15) || convert_to('muster.event.v2', 'UTF8')
        || int4send(octet_length(convert_to(stream_id, 'UTF8'))) || convert_to(stream_id, 'UTF8')
        || int8send(stream_version::bigint)
        || uuid_send(event_id)
        || int4send(octet_length(convert_to(event_type, 'UTF8'))) || convert_to(event_type, 'UTF8')
        || int8send(schema_version::bigint)
        || int4send(octet_length(convert_to(data::text, 'UTF8'))) || convert_to(data::text, 'UTF8')
        || int4send(octet_length(convert_to(metadata::text, 'UTF8'))) || convert_to(metadata::text, 'UTF8')
        || int8send((extract(epoch FROM occurred_at) * 1000000)::bigint);
END
$$;

-- 4. The stamp: set by the database on every insert (plain INSERT and COPY alike).
CREATE FUNCTION muster.stamp_event() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _prev bytea;
    _offset bigint;
BEGIN
    IF NEW.stream_version = 1 THEN
        _prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    ELSE
        SELECT e.hash INTO _prev FROM muster.events AS e
        WHERE e.stream_id = NEW.stream_id AND e.stream_version = NEW.stream_version - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU002',
                MESSAGE = format('version %s of stream %s cannot be appended: version %s is not in the log',
                                 NEW.stream_version, NEW.stream_id, NEW.stream_version - 1),
                HINT = 'append versions in order, each after the one before has committed';
        END IF;
    END IF;
    SELECT e.xact_offset INTO _offset FROM muster.log_epochs AS e ORDER BY e.epoch DESC LIMIT 1;
    NEW.global_position := nextval('muster.events_position_seq');
    NEW.xact_id := ((pg_current_xact_id()::text::numeric + _offset)::text)::xid8;
    NEW.recorded_at := now();
    NEW.hash_format := 2;
    NEW.prev_hash := _prev;
    NEW.hash := sha256(
        _prev
        || muster.event_content(NEW.stream_id, NEW.stream_version, NEW.event_id, NEW.event_type, NEW.schema_version,
                                NEW.data, NEW.metadata, NEW.occurred_at)
        || int8send((extract(epoch FROM NEW.recorded_at) * 1000000)::bigint));
    RETURN NEW;
END
$$;

CREATE TRIGGER events_stamp BEFORE INSERT ON muster.events FOR EACH ROW EXECUTE FUNCTION muster.stamp_event();

-- 5. The application inserts only what a writer may choose; the rest it may read.
REVOKE INSERT ON muster.events FROM muster_app;
GRANT INSERT (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
    ON muster.events TO muster_app;
REVOKE ALL ON SEQUENCE muster.events_position_seq FROM PUBLIC;
REVOKE ALL ON muster.log_epochs FROM PUBLIC;
GRANT SELECT ON muster.log_epochs TO muster_app, muster_reader;
REVOKE ALL ON FUNCTION muster.ensure_log_epoch() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION muster.ensure_log_epoch() TO muster_app, muster_reader;
GRANT EXECUTE ON FUNCTION muster.log_horizon(), muster.log_xact_offset(),
    muster.event_content(text, integer, uuid, text, integer, jsonb, jsonb, timestamptz) TO muster_app, muster_reader;
CREATE TRIGGER log_epochs_refuse_update_delete
    BEFORE UPDATE OR DELETE ON muster.log_epochs
    FOR EACH ROW EXECUTE FUNCTION muster.refuse_history_change();

-- 6. Seals: signed, and covering exactly the events below a horizon in the log's space.
ALTER TABLE muster.seals
    ADD COLUMN seal_format smallint NOT NULL DEFAULT 1,
    ADD COLUMN horizon xid8,
    ADD COLUMN signature bytea,
    ADD COLUMN key_id text,
    ADD CONSTRAINT seals_format_check CHECK (seal_format IN (1, 2)),
    ADD CONSTRAINT seals_v2_check CHECK (seal_format = 1 OR horizon IS NOT NULL);
-- Seals store only the heads that moved; the auditor finds each stream's sealed heads by stream.
CREATE INDEX seal_heads_stream_idx ON muster.seal_heads (stream_id, seal_id);
