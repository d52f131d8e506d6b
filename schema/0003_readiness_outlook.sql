-- Readiness as the domain computes it, stored with the day left open.
--
-- A solo gate either fails on its facts alone, fails until a day (the program's minimum
-- length), or fails from a day on (a required course lapses). Each row keeps every gate that can
-- fail, with that window, and the expected solo date as "the later of a day and today plus a
-- lead" (a phase that ran past its minimum ends no earlier than today). The functions below only
-- evaluate those windows against a day; the rules that make them live in TrainingDomain's
-- Readiness, so a board, a trainee's status and a refusal judged on the same day agree.

DROP INDEX muster.trainee_status_board_idx;

ALTER TABLE muster.trainee_status
    DROP COLUMN failing_gates,
    DROP COLUMN expected_solo_on,
    -- "name: detail" of each gate that can fail, and the window [fail_from, fail_until) of days
    -- in which it fails (NULL bounds are open: both NULL means it fails on its facts).
    ADD COLUMN solo_gates            text[] NOT NULL DEFAULT '{}',
    ADD COLUMN solo_gates_fail_from  date[] NOT NULL DEFAULT '{}',
    ADD COLUMN solo_gates_fail_until date[] NOT NULL DEFAULT '{}',
    -- Expected solo patrol: greatest(expected_solo_earliest_on, day + expected_solo_lead_days).
    ADD COLUMN expected_solo_earliest_on date,
    ADD COLUMN expected_solo_lead_days   integer,
    ADD CONSTRAINT trainee_status_solo_gates_check CHECK (
        cardinality(solo_gates) = cardinality(solo_gates_fail_from)
        AND cardinality(solo_gates) = cardinality(solo_gates_fail_until));

-- The board filters on stage and the expected date (its earliest bound serves the index).
CREATE INDEX trainee_status_board_idx ON muster.trainee_status (stage, expected_solo_earliest_on, name, trainee_id);

CREATE FUNCTION muster.failing_gates(gates text[], fail_from date[], fail_until date[], day date) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT g.gate
    FROM unnest(gates, fail_from, fail_until) WITH ORDINALITY AS g(gate, from_on, until_on, n)
    WHERE (g.from_on IS NULL OR g.from_on <= day) AND (g.until_on IS NULL OR day < g.until_on)
    ORDER BY g.n);

CREATE FUNCTION muster.expected_on(earliest date, lead_days integer, day date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(earliest, day + lead_days);

GRANT EXECUTE ON FUNCTION muster.failing_gates(text[], date[], date[], date), muster.expected_on(date, integer, date)
    TO muster_app, muster_reader;

-- Rows made by the old rules: refill them from the log on the next run.
DELETE FROM muster.trainee_status;
DELETE FROM muster.coursework_currency;
DELETE FROM muster.projection_checkpoints;
