-- Read models: plain tables kept by the projection runner (TrainingProjections). Unlike the
-- event log they are disposable: `muster projections rebuild` refills them from the log.
--
-- Rows store dates, not statuses ("expires_on", not "overdue"): queries compare with
-- current_date, so a course becomes overdue when its date passes, with no new event and no
-- refresh job.

CREATE TABLE muster.projection_checkpoints (
    projection      text        NOT NULL,
    xact_id         xid8        NOT NULL,
    global_position bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (projection)
);

CREATE TABLE muster.trainee_status (
    trainee_id           text    NOT NULL,
    agency               text    NOT NULL,
    name                 text    NOT NULL,
    badge                text    NOT NULL,
    stage                text    NOT NULL,
    hired_on             date    NOT NULL,
    academy_class        text,
    phase                integer,
    phase_started_on     date,
    phase_minimum_end_on date,
    ftos                 text[]  NOT NULL DEFAULT '{}',
    last_dor_on          date,
    dor_count            integer NOT NULL DEFAULT 0,
    open_remedial        integer NOT NULL DEFAULT 0,
    open_remedial_detail text,
    earliest_remedial_due_on date,
    -- Solo gates that do not depend on the date, as text; the query adds the dated ones.
    failing_gates        text[]  NOT NULL DEFAULT '{}',
    expected_solo_on     date,
    solo_cleared_on      date,
    probation_end_on     date,
    separated_kind       text,
    CONSTRAINT trainee_status_pkey PRIMARY KEY (trainee_id)
);
CREATE INDEX trainee_status_stage_idx ON muster.trainee_status (stage);
CREATE INDEX trainee_status_probation_end_idx ON muster.trainee_status (probation_end_on) WHERE probation_end_on IS NOT NULL;
CREATE INDEX trainee_status_board_idx ON muster.trainee_status (stage, expected_solo_on, name);

CREATE TABLE muster.coursework_currency (
    person_stream     text    NOT NULL,
    person_name       text    NOT NULL,
    course_type       text    NOT NULL,
    completions       integer NOT NULL,
    last_completed_on date,
    -- NULL when never completed (due at once).
    expires_on        date,
    warning_days      integer NOT NULL,
    CONSTRAINT coursework_currency_pkey PRIMARY KEY (person_stream, course_type)
);
CREATE INDEX coursework_currency_expires_idx ON muster.coursework_currency (expires_on);

REVOKE ALL ON muster.projection_checkpoints, muster.trainee_status, muster.coursework_currency FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON muster.projection_checkpoints, muster.trainee_status, muster.coursework_currency TO muster_app;
GRANT SELECT ON muster.projection_checkpoints, muster.trainee_status, muster.coursework_currency TO muster_reader;
