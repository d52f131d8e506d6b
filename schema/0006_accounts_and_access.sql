-- Accounts, sessions and tokens for `muster serve`, and the access log.
--
-- Who a person is stays in the event log (the agency's users stream: registered, disabled,
-- role changed). These tables hold only how they prove it: a password hash, a second factor,
-- sessions and tokens, each secret stored as a hash (bcrypt for passwords, SHA-256 for random
-- tokens and one-time codes), never as itself. They are state, not history: sessions expire,
-- tokens are revoked, failures are forgotten.
--
-- The access log is history: every read of a person's record through the server, appended and
-- chained like the event log, in a table of its own (reads far outnumber entries; they are not
-- business facts, the projector and the seals have no use for them, and compliance reviewers,
-- not the training staff, read them).

-- 1. Credentials: one row per registered user who enrolled.
CREATE TABLE muster.accounts (
    user_id          text        NOT NULL,
    -- bcrypt ($2b$, cost 12): the password itself is never stored.
    password_hash    text        NOT NULL,
    -- The TOTP key, sealed with AES-GCM under the server's key (MUSTER_SECRET_KEY): a copy of
    -- the database alone does not give it away.
    totp_sealed      bytea,
    -- The last TOTP time step accepted: a code is good once.
    totp_last_step   bigint,
    enrolled_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (user_id)
);

-- 2. One-time enrollment codes a sergeant or commander issues (stored as SHA-256).
CREATE TABLE muster.invitations (
    code_hash   bytea       NOT NULL,
    user_id     text        NOT NULL,
    issued_by   text        NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    CONSTRAINT invitations_pkey PRIMARY KEY (code_hash),
    CONSTRAINT invitations_expiry_check CHECK (expires_at > issued_at)
);
CREATE INDEX invitations_user_idx ON muster.invitations (user_id);

-- 3. Sessions (the cookie holds a random 32-byte token; the row holds its SHA-256).
CREATE TABLE muster.sessions (
    token_hash      bytea       NOT NULL,
    user_id         text        NOT NULL,
    -- The synchronizer token every state-changing request with this cookie must echo.
    csrf_token      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    -- Absolute end, whatever the activity.
    expires_at      timestamptz NOT NULL,
    -- The last re-entry of the password (or TOTP): signatures need one within minutes.
    confirmed_at    timestamptz,
    second_factor   boolean     NOT NULL DEFAULT false,
    client_address  text,
    revoked_at      timestamptz,
    CONSTRAINT sessions_pkey PRIMARY KEY (token_hash)
);
CREATE INDEX sessions_user_idx ON muster.sessions (user_id);

-- 4. Bearer tokens for programs: stored hashed, revocable, with a role ceiling.
CREATE TABLE muster.api_tokens (
    token_id      uuid        NOT NULL,
    token_hash    bytea       NOT NULL,
    user_id       text        NOT NULL,
    name          text        NOT NULL,
    role_ceiling  text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (token_id),
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_idx ON muster.api_tokens (user_id);

-- 5. Failed sign-ins, per account and per client address, for throttling. Pruned as they age.
CREATE TABLE muster.login_failures (
    scope      text        NOT NULL,
    key        text        NOT NULL,
    failed_at  timestamptz NOT NULL,
    CONSTRAINT login_failures_scope_check CHECK (scope IN ('account', 'address'))
);
CREATE INDEX login_failures_key_idx ON muster.login_failures (scope, key, failed_at);

-- 6. The access log: who read whose record, which view, when, from where, with what result.
-- The database stamps each row (seq, time, chain hash), as it does events: the
-- application's role inserts only the fields people supply.
CREATE TABLE muster.access_log (
    seq          bigint      NOT NULL,
    read_at      timestamptz NOT NULL,
    reader       text        NOT NULL,
    reader_role  text        NOT NULL,
    person       text        NOT NULL,
    view         text        NOT NULL,
    address      text        NOT NULL,
    result       text        NOT NULL,
    request_id   text        NOT NULL,
    prev_hash    bytea       NOT NULL,
    hash         bytea       NOT NULL,
    CONSTRAINT access_log_pkey PRIMARY KEY (seq)
);
CREATE INDEX access_log_person_idx ON muster.access_log (person, seq);
CREATE SEQUENCE muster.access_log_seq AS bigint OWNED BY muster.access_log.seq;

-- The canonical bytes of an access-log row (docs/API.md, "The access log"): each text field
-- length-prefixed, integers 8-byte big-endian, the time in microseconds since 1970 UTC.
CREATE FUNCTION muster.access_content(
    seq bigint, read_at timestamptz, reader text, reader_role text, person text, view text, address text,
    result text, request_id text) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN int4send(16) || convert_to('muster.access.v1', 'UTF8')
        || int8send(seq)
        || int8send((extract(epoch FROM read_at) * 1000000)::bigint)
        || int4send(octet_length(convert_to(reader, 'UTF8'))) || convert_to(reader, 'UTF8')
        || int4send(octet_length(convert_to(reader_role, 'UTF8'))) || convert_to(reader_role, 'UTF8')
        || int4send(octet_length(convert_to(person, 'UTF8'))) || convert_to(person, 'UTF8')
        || int4send(octet_length(convert_to(view, 'UTF8'))) || convert_to(view, 'UTF8')
        || int4send(octet_length(convert_to(address, 'UTF8'))) || convert_to(address, 'UTF8')
        || int4send(octet_length(convert_to(result, 'UTF8'))) || convert_to(result, 'UTF8')
        || int4send(octet_length(convert_to(request_id, 'UTF8'))) || convert_to(request_id, 'UTF8');
END
$$;

-- One chain for the whole log: rows are stamped one at a time (a transaction-scoped advisory
-- lock), so seq order is chain order. A read costs one short insert; the lock is held
-- only until that insert commits.
CREATE FUNCTION muster.stamp_access() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    _prev bytea;
BEGIN
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

CREATE TRIGGER access_log_stamp BEFORE INSERT ON muster.access_log FOR EACH ROW EXECUTE FUNCTION muster.stamp_access();
CREATE TRIGGER access_log_refuse_update_delete
    BEFORE UPDATE OR DELETE ON muster.access_log
    FOR EACH ROW EXECUTE FUNCTION muster.refuse_history_change();
CREATE TRIGGER access_log_refuse_truncate
    BEFORE TRUNCATE ON muster.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION muster.refuse_history_change();

-- Privileges: the application keeps the credentials current and appends to the access log,
-- choosing none of its stamped columns; readers (compliance reviewers' tools) read the access
-- log, never a credential.
GRANT SELECT, INSERT, UPDATE, DELETE ON muster.accounts, muster.invitations, muster.sessions, muster.api_tokens,
    muster.login_failures TO muster_app;
GRANT SELECT ON muster.access_log TO muster_app, muster_reader;
GRANT INSERT (reader, reader_role, person, view, address, result, request_id) ON muster.access_log TO muster_app;
GRANT EXECUTE ON FUNCTION muster.access_content(bigint, timestamptz, text, text, text, text, text, text, text)
    TO muster_app, muster_reader;
