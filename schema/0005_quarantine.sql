-- No poison pill: an event the projector cannot read never stops it. The read models keep
-- such entries here, and mark the person's row as needing attention, until a system
-- administrator's recorded decision (record.unreadable-entry-resolved.v1) sets the entry aside
-- or confirms today's code reads it again.
CREATE TABLE muster.projection_quarantine (
    stream_id      text        NOT NULL,
    stream_version integer     NOT NULL,
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    reason         text        NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projection_quarantine_pkey PRIMARY KEY (stream_id, stream_version)
);

ALTER TABLE muster.trainee_status ADD COLUMN attention text[] NOT NULL DEFAULT '{}';

-- Which adopted policy the rows were computed under; when another comes into force (adopted,
-- or its effective day arrived) the runner refreshes every row.
ALTER TABLE muster.projection_checkpoints ADD COLUMN policy_in_force text NOT NULL DEFAULT '';

REVOKE ALL ON muster.projection_quarantine FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON muster.projection_quarantine TO muster_app;
GRANT SELECT ON muster.projection_quarantine TO muster_reader;

-- Refill every row (the new column) on the next run.
DELETE FROM muster.trainee_status;
DELETE FROM muster.coursework_currency;
DELETE FROM muster.projection_checkpoints;
