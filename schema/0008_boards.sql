-- The boards' answers: what the forecast, the expiring list and the sergeant's queue need, and
-- per-category trends for the tracking sheet. Additive: new columns on muster.trainee_status,
-- two new read-model tables. Dates only, as before: queries compare them with current_date.

ALTER TABLE muster.trainee_status
    -- When each stage began and how the recruit left: the forecast's stage lengths and attrition.
    ADD COLUMN academy_started_on        date,
    ADD COLUMN academy_graduated_on      date,
    ADD COLUMN field_training_started_on date,
    ADD COLUMN separated_on              date,
    ADD COLUMN separated_stage           text,
    -- The current phase's Phase Evaluation Report (NULL: none filed yet).
    ADD COLUMN phase_evaluated_on        date,
    -- DORs awaiting the trainee's signature (amended ones included) and the oldest shift among them.
    ADD COLUMN unsigned_dors             integer NOT NULL DEFAULT 0,
    ADD COLUMN unsigned_amended_dors     integer NOT NULL DEFAULT 0,
    ADD COLUMN oldest_unsigned_dor_on    date,
    -- The first probation review interval (months) not yet recorded, and its due date.
    ADD COLUMN next_review_interval      integer,
    ADD COLUMN next_review_due_on        date;

-- The sergeant's queue and the expiring list read each part by due date, then trainee, from these.
CREATE INDEX trainee_status_phase_due_idx ON muster.trainee_status (phase_minimum_end_on, trainee_id)
    WHERE stage = 'field_training';
CREATE INDEX trainee_status_remedial_due_idx ON muster.trainee_status (earliest_remedial_due_on, trainee_id)
    WHERE open_remedial > 0;
CREATE INDEX trainee_status_unsigned_dors_idx ON muster.trainee_status (oldest_unsigned_dor_on, trainee_id)
    WHERE oldest_unsigned_dor_on IS NOT NULL;
CREATE INDEX trainee_status_next_review_idx ON muster.trainee_status (next_review_due_on, trainee_id)
    WHERE next_review_due_on IS NOT NULL;
DROP INDEX muster.trainee_status_probation_end_idx;
CREATE INDEX trainee_status_probation_end_idx ON muster.trainee_status (probation_end_on, trainee_id)
    WHERE probation_end_on IS NOT NULL;

-- Expiring coursework in its full order (date, then person and course): every part of the list,
-- the never-completed one included (expires_on IS NULL), is read from the index in order.
DROP INDEX muster.coursework_currency_expires_idx;
CREATE INDEX coursework_currency_due_idx ON muster.coursework_currency (expires_on, person_stream, course_type);

-- Each FTO's next 24-hour update (POST Regulation 1004: every three years); a lapsed FTO may not rate.
CREATE TABLE muster.fto_qualification (
    person_stream  text NOT NULL,
    person_name    text NOT NULL,
    qualified_on   date NOT NULL,
    last_update_on date,
    update_due_on  date NOT NULL,
    CONSTRAINT fto_qualification_pkey PRIMARY KEY (person_stream)
);
CREATE INDEX fto_qualification_due_idx ON muster.fto_qualification (update_due_on, person_stream);

-- A DOR tracking sheet: per trainee, phase and evaluation category, the rating on each shift of
-- the phase ('4', 'N/O', 'NRT', or '' when that DOR left it blank) and the trend the domain
-- computes (CategoryTrend): scores only, the mean times 100, the direction of the fitted line.
CREATE TABLE muster.category_trends (
    trainee_id  text    NOT NULL,
    phase       integer NOT NULL,
    -- The category's place on the sheet (the policy's order).
    position    integer NOT NULL,
    category    text    NOT NULL,
    shifts      date[]  NOT NULL,
    ratings     text[]  NOT NULL,
    scored      integer NOT NULL,
    first_rating integer,
    last_rating  integer,
    mean_x100    integer,
    direction    text    NOT NULL,
    CONSTRAINT category_trends_pkey PRIMARY KEY (trainee_id, phase, category),
    CONSTRAINT category_trends_cells_check CHECK (cardinality(shifts) = cardinality(ratings))
);

REVOKE ALL ON muster.fto_qualification, muster.category_trends FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON muster.fto_qualification, muster.category_trends TO muster_app;
GRANT SELECT ON muster.fto_qualification, muster.category_trends TO muster_reader;

-- Refill every row (the new columns and tables) on the next run.
DELETE FROM muster.trainee_status;
DELETE FROM muster.coursework_currency;
DELETE FROM muster.projection_checkpoints;
