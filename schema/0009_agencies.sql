-- Agencies, isolated by PostgreSQL (docs/AGENCIES.md).
--
-- Every event, read-model row, access-log row and credential carries its agency. A session
-- acts for one agency, named by the `muster.agency` setting (libpq `options=-c muster.agency=X`,
-- which `MusterDatabase` sends on every connection it opens for a service). Row-level security
-- on every such table lets the application's and the reporting roles see and write only rows of
-- that agency; a session with no agency set sees nothing and writes nothing (fails closed).
-- The statewide role (`muster_state`, a standards commission's staff) reads every agency and
-- writes nothing. The table owner (migrations, the projector, rebuilds, seals and audits: the
-- system itself) is not subject to the policies.
--
-- The agency of an event is not the client's to choose: the stamp sets it from the session,
-- from the stream (every event of a stream belongs to the agency of its first), and checks a
-- hire's named agency, and that no other agency holds the stream.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'muster_state') THEN
        CREATE ROLE muster_state NOLOGIN;
    END IF;
END
$$;

-- The agency this session acts for (NULL when none is set: every policy then fails closed).
CREATE FUNCTION muster.session_agency() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('muster.agency', true), '') $$;

-- The one agency rule, put on a table with an `agency` column: the application's and the
-- reporting roles see and write only the session's agency's rows; the statewide role, where
-- `statewide`, reads them all.
CREATE FUNCTION muster.isolate_by_agency(tab regclass, statewide boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tab);
    EXECUTE format('DROP POLICY IF EXISTS agency ON %s', tab);
    EXECUTE format('CREATE POLICY agency ON %s FOR ALL TO muster_app, muster_reader '
                   'USING (agency = muster.session_agency()) WITH CHECK (agency = muster.session_agency())', tab);
    EXECUTE format('DROP POLICY IF EXISTS statewide ON %s', tab);
    IF statewide THEN
        EXECUTE format('CREATE POLICY statewide ON %s FOR SELECT TO muster_state USING (true)', tab);
    END IF;
END
$$;

-- 1. The log.
ALTER TABLE muster.events ADD COLUMN agency text;

-- Rows stored before this migration: the agency their stream names (policy-X, users-X), the
-- agency their hire names, else the one agency the log knows. The one rewrite of stored rows
-- Muster ever makes, by the migration, of a column their chain hash (formats 1 and 2) does not
-- cover; rows written from now on are hashed with their agency (format 3).
ALTER TABLE muster.events DISABLE TRIGGER events_refuse_update_delete;
UPDATE muster.events AS e
SET agency = CASE
    WHEN split_part(e.stream_id, '-', 1) IN ('policy', 'users') THEN substr(e.stream_id, strpos(e.stream_id, '-') + 1)
    ELSE (SELECT h.data ->> 'agency' FROM muster.events AS h
          WHERE h.stream_id = e.stream_id AND h.event_type = 'hiring.recruit-hired.v1' LIMIT 1)
END;
DO $$
DECLARE
    _agencies text[];
BEGIN
    SELECT array_agg(DISTINCT agency) INTO _agencies FROM muster.events WHERE agency IS NOT NULL;
    IF EXISTS (SELECT 1 FROM muster.events WHERE agency IS NULL) THEN
        IF cardinality(_agencies) = 1 THEN
            UPDATE muster.events SET agency = _agencies[1] WHERE agency IS NULL;
        ELSE
            RAISE EXCEPTION USING
                MESSAGE = format('cannot tell the agency of some stored events: the log names %s agencies', coalesce(cardinality(_agencies), 0)),
                HINT = 'set each stream''s agency before migrating (UPDATE muster.events SET agency = ... with the append-only trigger disabled)';
        END IF;
    END IF;
END
$$;
ALTER TABLE muster.events ENABLE TRIGGER events_refuse_update_delete;

ALTER TABLE muster.events
    ALTER COLUMN agency SET NOT NULL,
    ADD CONSTRAINT events_agency_check CHECK (agency ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    DROP CONSTRAINT events_hash_format_check,
    ADD CONSTRAINT events_hash_format_check CHECK (hash_format IN (1, 2, 3));

-- Agency-leading indexes: under the policy, "agency = the session's" is their index condition.
CREATE INDEX events_agency_xact_position_idx ON muster.events (agency, xact_id, global_position);
CREATE INDEX events_agency_category_idx ON muster.events (agency, split_part(stream_id, '-', 1), xact_id, global_position);
CREATE INDEX events_agency_stream_idx ON muster.events (agency, stream_id, stream_version);

-- The stamp, now also setting the agency.
CREATE OR REPLACE FUNCTION muster.stamp_event() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _prev bytea;
    _offset bigint;
    _session text := nullif(current_setting('muster.agency', true), '');
    _agency text;
    _category text := split_part(NEW.stream_id, '-', 1);
BEGIN
    IF NEW.stream_version = 1 THEN
        _prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        _agency := coalesce(_session,
            CASE WHEN _category IN ('policy', 'users') THEN substr(NEW.stream_id, length(_category) + 2)
                 WHEN NEW.event_type = 'hiring.recruit-hired.v1' THEN NEW.data ->> 'agency' END);
        IF _agency IS NULL THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU003',
                MESSAGE = format('stream %s cannot be started: this session acts for no agency', NEW.stream_id),
                HINT = 'set the agency the session acts for (options=-c muster.agency=ID, or MUSTER_AGENCY)';
        END IF;
        -- Another agency's stream of the same name (within one agency, the unique key reports
        -- a racing writer as a version conflict, as before).
        IF EXISTS (SELECT 1 FROM muster.events AS e
                   WHERE e.stream_id = NEW.stream_id AND e.stream_version = 1 AND e.agency <> _agency) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU003',
                MESSAGE = format('stream %s is taken by another agency', NEW.stream_id),
                HINT = 'choose another id';
        END IF;
    ELSE
        SELECT e.hash, e.agency INTO _prev, _agency FROM muster.events AS e
        WHERE e.stream_id = NEW.stream_id AND e.stream_version = NEW.stream_version - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU002',
                MESSAGE = format('version %s of stream %s cannot be appended: version %s is not in the log',
                                 NEW.stream_version, NEW.stream_id, NEW.stream_version - 1),
                HINT = 'append versions in order, each after the one before has committed';
        END IF;
        IF _session IS NOT NULL AND _session <> _agency THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU003',
                MESSAGE = format('stream %s is not a stream of agency %s', NEW.stream_id, _session),
                HINT = 'a stream belongs to the agency that started it';
        END IF;
    END IF;
    IF NEW.event_type = 'hiring.recruit-hired.v1' AND (NEW.data ->> 'agency') IS DISTINCT FROM _agency THEN
        RAISE EXCEPTION USING
            ERRCODE = 'MU003',
            MESSAGE = format('the hire names agency %s; this stream is agency %s''s', NEW.data ->> 'agency', _agency),
            HINT = 'hire into the agency the session acts for';
    END IF;
    SELECT e.xact_offset INTO _offset FROM muster.log_epochs AS e ORDER BY e.epoch DESC LIMIT 1;
    NEW.agency := _agency;
    NEW.global_position := nextval('muster.events_position_seq');
    NEW.xact_id := ((pg_current_xact_id()::text::numeric + _offset)::text)::xid8;
    NEW.recorded_at := now();
    -- Format 3 (docs/HASH-CHAIN.md): format 2 followed by the agency, length-prefixed, so
    -- moving a row to another agency breaks its chain like any other edit.
    NEW.hash_format := 3;
    NEW.prev_hash := _prev;
    NEW.hash := sha256(
        _prev
        || muster.event_content(NEW.stream_id, NEW.stream_version, NEW.event_id, NEW.event_type, NEW.schema_version,
                                NEW.data, NEW.metadata, NEW.occurred_at)
        || int8send((extract(epoch FROM NEW.recorded_at) * 1000000)::bigint)
        || int4send(octet_length(convert_to(_agency, 'UTF8'))) || convert_to(_agency, 'UTF8'));
    RETURN NEW;
END
$$;

SELECT muster.isolate_by_agency('muster.events', true);

-- Seal heads name streams: an agency's sessions see the heads of its own streams only.
ALTER TABLE muster.seal_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY seal_heads_agency ON muster.seal_heads FOR SELECT TO muster_app, muster_reader
    USING (EXISTS (SELECT 1 FROM muster.events AS e WHERE e.stream_id = seal_heads.stream_id AND e.stream_version = 1));
CREATE POLICY seal_heads_statewide ON muster.seal_heads FOR SELECT TO muster_state USING (true);

-- 2. Read models: each row's agency is its stream's (the projector, as the owner, sets or
-- leaves it; the stamp below fills it from the log), and the same policies apply.
CREATE FUNCTION muster.stream_agency(stream text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT e.agency FROM muster.events AS e WHERE e.stream_id = stream AND e.stream_version = 1 $$;
REVOKE ALL ON FUNCTION muster.stream_agency(text) FROM PUBLIC;

-- Fills a read-model row's agency, when the writer left it out, from its stream's first event.
CREATE FUNCTION muster.stamp_read_model_agency() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _stream text;
BEGIN
    IF NEW.agency IS NULL THEN
        IF TG_ARGV[0] = 'trainee_id' THEN
            _stream := 'trainee-' || NEW.trainee_id;
        ELSIF TG_ARGV[0] = 'person_stream' THEN
            _stream := NEW.person_stream;
        ELSE
            _stream := NEW.stream_id;
        END IF;
        NEW.agency := coalesce(muster.stream_agency(_stream), nullif(current_setting('muster.agency', true), ''));
        IF NEW.agency IS NULL THEN
            RAISE EXCEPTION USING
                ERRCODE = 'MU003',
                MESSAGE = format('%I.%I: no agency for stream %s', TG_TABLE_SCHEMA, TG_TABLE_NAME, _stream),
                HINT = 'read-model rows follow the log: project events that are in it';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- Puts a read-model table (or its fresh copy in a rebuild, `name_rebuild`) under the agency
-- policies: its agency stamp, row-level security and the grants. The migration calls it on
-- each table; a rebuild on each fresh table.
CREATE FUNCTION muster.secure_read_model(tab regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _name text := regexp_replace((SELECT c.relname FROM pg_class AS c WHERE c.oid = tab), '_rebuild$', '');
    _column text := CASE _name
        WHEN 'trainee_status' THEN 'trainee_id' WHEN 'category_trends' THEN 'trainee_id'
        WHEN 'coursework_currency' THEN 'person_stream' WHEN 'fto_qualification' THEN 'person_stream'
        WHEN 'projection_quarantine' THEN 'stream_id' END;
BEGIN
    IF _column IS NULL THEN
        RAISE EXCEPTION 'muster.secure_read_model: % is not a read model', tab;
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS read_model_agency ON %s', tab);
    EXECUTE format('CREATE TRIGGER read_model_agency BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION muster.stamp_read_model_agency(%L)',
                   tab, _column);
    PERFORM muster.isolate_by_agency(tab, true);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO muster_app', tab);
    EXECUTE format('GRANT SELECT ON %s TO muster_reader, muster_state', tab);
END
$$;

ALTER TABLE muster.coursework_currency ADD COLUMN agency text;
ALTER TABLE muster.fto_qualification ADD COLUMN agency text;
ALTER TABLE muster.category_trends ADD COLUMN agency text;
ALTER TABLE muster.projection_quarantine ADD COLUMN agency text;
-- Rows made before agencies: refill them from the log on the next run.
DELETE FROM muster.trainee_status;
DELETE FROM muster.coursework_currency;
DELETE FROM muster.fto_qualification;
DELETE FROM muster.category_trends;
DELETE FROM muster.projection_checkpoints;
UPDATE muster.projection_quarantine SET agency = muster.stream_agency(stream_id);
ALTER TABLE muster.coursework_currency ALTER COLUMN agency SET NOT NULL;
ALTER TABLE muster.fto_qualification ALTER COLUMN agency SET NOT NULL;
ALTER TABLE muster.category_trends ALTER COLUMN agency SET NOT NULL;
ALTER TABLE muster.projection_quarantine ALTER COLUMN agency SET NOT NULL;

SELECT muster.secure_read_model('muster.trainee_status');
SELECT muster.secure_read_model('muster.category_trends');
SELECT muster.secure_read_model('muster.coursework_currency');
SELECT muster.secure_read_model('muster.fto_qualification');
SELECT muster.secure_read_model('muster.projection_quarantine');

-- Agency-leading indexes for the boards.
DROP INDEX muster.trainee_status_board_idx;
CREATE INDEX trainee_status_board_idx ON muster.trainee_status (agency, stage, expected_solo_earliest_on, name, trainee_id);
DROP INDEX muster.trainee_status_stage_idx;
CREATE INDEX trainee_status_stage_idx ON muster.trainee_status (agency, stage);
DROP INDEX muster.trainee_status_phase_due_idx;
CREATE INDEX trainee_status_phase_due_idx ON muster.trainee_status (agency, phase_minimum_end_on, trainee_id)
    WHERE stage = 'field_training';
DROP INDEX muster.trainee_status_remedial_due_idx;
CREATE INDEX trainee_status_remedial_due_idx ON muster.trainee_status (agency, earliest_remedial_due_on, trainee_id)
    WHERE open_remedial > 0;
DROP INDEX muster.trainee_status_unsigned_dors_idx;
CREATE INDEX trainee_status_unsigned_dors_idx ON muster.trainee_status (agency, oldest_unsigned_dor_on, trainee_id)
    WHERE oldest_unsigned_dor_on IS NOT NULL;
DROP INDEX muster.trainee_status_next_review_idx;
CREATE INDEX trainee_status_next_review_idx ON muster.trainee_status (agency, next_review_due_on, trainee_id)
    WHERE next_review_due_on IS NOT NULL;
DROP INDEX muster.trainee_status_probation_end_idx;
CREATE INDEX trainee_status_probation_end_idx ON muster.trainee_status (agency, probation_end_on, trainee_id)
    WHERE probation_end_on IS NOT NULL;
DROP INDEX muster.coursework_currency_due_idx;
CREATE INDEX coursework_currency_due_idx ON muster.coursework_currency (agency, expires_on, person_stream, course_type);
DROP INDEX muster.fto_qualification_due_idx;
CREATE INDEX fto_qualification_due_idx ON muster.fto_qualification (agency, update_due_on, person_stream);

-- The statewide role's boards read every agency in the same orders: indexes without the agency.
CREATE INDEX trainee_status_statewide_board_idx ON muster.trainee_status (stage, expected_solo_earliest_on, name, trainee_id);
CREATE INDEX trainee_status_statewide_probation_end_idx ON muster.trainee_status (probation_end_on, trainee_id)
    WHERE probation_end_on IS NOT NULL;
CREATE INDEX coursework_currency_statewide_due_idx ON muster.coursework_currency (expires_on, person_stream, course_type);
CREATE INDEX fto_qualification_statewide_due_idx ON muster.fto_qualification (update_due_on, person_stream);

-- The checkpoints are the projector's (one for the whole log); sessions may read them.
GRANT SELECT ON muster.projection_checkpoints TO muster_state;

-- 3. Who read what: the reader's agency, from the session, on every row.
ALTER TABLE muster.access_log ADD COLUMN agency text;
ALTER TABLE muster.access_log DISABLE TRIGGER access_log_refuse_update_delete;
UPDATE muster.access_log SET agency = coalesce((SELECT min(agency) FROM muster.events), 'unknown');
ALTER TABLE muster.access_log ENABLE TRIGGER access_log_refuse_update_delete;
ALTER TABLE muster.access_log ALTER COLUMN agency SET NOT NULL;
DROP INDEX muster.access_log_person_idx;
CREATE INDEX access_log_person_idx ON muster.access_log (agency, person, seq);

CREATE OR REPLACE FUNCTION muster.stamp_access() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _prev bytea;
BEGIN
    NEW.agency := nullif(current_setting('muster.agency', true), '');
    IF NEW.agency IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'MU003',
            MESSAGE = 'a read cannot be logged: this session acts for no agency',
            HINT = 'set the agency the session acts for (options=-c muster.agency=ID, or MUSTER_AGENCY)';
    END IF;
    PERFORM pg_advisory_xact_lock(7710420001);
    SELECT a.hash INTO _prev FROM muster.access_log AS a ORDER BY a.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        _prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    END IF;
    NEW.seq := nextval('muster.access_log_seq');
    NEW.read_at := date_trunc('microseconds', clock_timestamp());
    NEW.prev_hash := _prev;
    NEW.hash := sha256(_prev || muster.access_content(NEW.seq, NEW.read_at, NEW.reader, NEW.reader_role, NEW.person,
                                                      NEW.view, NEW.address, NEW.result, NEW.request_id));
    RETURN NEW;
END
$$;

SELECT muster.isolate_by_agency('muster.access_log', true);

-- 4. Credentials: each of one agency, set from the session; a user id is unique in its agency.
ALTER TABLE muster.accounts ADD COLUMN agency text;
ALTER TABLE muster.invitations ADD COLUMN agency text;
ALTER TABLE muster.sessions ADD COLUMN agency text;
ALTER TABLE muster.api_tokens ADD COLUMN agency text;
ALTER TABLE muster.login_failures ADD COLUMN agency text;
DO $$
DECLARE
    _only text := (SELECT CASE WHEN count(DISTINCT agency) = 1 THEN min(agency) END FROM muster.events);
    _table text;
BEGIN
    FOREACH _table IN ARRAY ARRAY['accounts', 'invitations', 'sessions', 'api_tokens', 'login_failures'] LOOP
        EXECUTE format('UPDATE muster.%I SET agency = %L', _table, _only);
        EXECUTE format('ALTER TABLE muster.%I ALTER COLUMN agency SET DEFAULT muster.session_agency(), ALTER COLUMN agency SET NOT NULL', _table);
        PERFORM muster.isolate_by_agency(format('muster.%I', _table)::regclass, false);
    END LOOP;
END
$$;
ALTER TABLE muster.accounts DROP CONSTRAINT accounts_pkey, ADD CONSTRAINT accounts_pkey PRIMARY KEY (agency, user_id);
DROP INDEX muster.sessions_user_idx;
CREATE INDEX sessions_user_idx ON muster.sessions (agency, user_id);
DROP INDEX muster.api_tokens_user_idx;
CREATE INDEX api_tokens_user_idx ON muster.api_tokens (agency, user_id);
DROP INDEX muster.invitations_user_idx;
CREATE INDEX invitations_user_idx ON muster.invitations (agency, user_id);
DROP INDEX muster.login_failures_key_idx;
CREATE INDEX login_failures_key_idx ON muster.login_failures (agency, scope, key, failed_at);

-- 5. The statewide role reads the log, its seals, the read models and the access log; it
-- holds no credential and writes nothing.
GRANT USAGE ON SCHEMA muster TO muster_state;
GRANT SELECT ON muster.events, muster.seals, muster.seal_heads, muster.log_epochs, muster.access_log TO muster_state;
GRANT EXECUTE ON FUNCTION muster.log_horizon(), muster.log_xact_offset(), muster.ensure_log_epoch(),
    muster.failing_gates(text[], date[], date[], date), muster.expected_on(date, integer, date) TO muster_state;
GRANT EXECUTE ON FUNCTION muster.session_agency() TO muster_app, muster_reader, muster_state;
