-- Boards that stay fast at state scale (millions of events, hundreds of agencies).
--
-- 1. Readiness picks its rows from the index alone. The board index also carries each
--    trainee's lead days, so the expected date (the later of the earliest bound and today plus
--    the lead days) is computed and filtered on index entries; only the rows shown are read
--    from the table. Same names, so the rebuild and the tests know them.
DROP INDEX muster.trainee_status_board_idx;
CREATE INDEX trainee_status_board_idx ON muster.trainee_status (agency, stage, expected_solo_earliest_on, name, trainee_id)
    INCLUDE (expected_solo_lead_days);
DROP INDEX muster.trainee_status_statewide_board_idx;
CREATE INDEX trainee_status_statewide_board_idx ON muster.trainee_status (stage, expected_solo_earliest_on, name, trainee_id)
    INCLUDE (expected_solo_lead_days);

-- 2. Trainees per agency and stage, kept by the database as trainee_status changes, so the
--    pipeline board (and the statewide one) reads a few dozen rows instead of counting them all.
--    Derived like every read model: the rebuild recounts it when it swaps the tables in.
CREATE TABLE muster.stage_counts (
    agency   text   NOT NULL,
    stage    text   NOT NULL,
    trainees bigint NOT NULL CHECK (trainees >= 0),
    PRIMARY KEY (agency, stage)
);
SELECT muster.isolate_by_agency('muster.stage_counts', true);
GRANT SELECT, INSERT, UPDATE ON muster.stage_counts TO muster_app;
GRANT SELECT ON muster.stage_counts TO muster_reader, muster_state;

-- One statement's changes to trainee_status, added to the counts (rows removed count -1).
CREATE FUNCTION muster.count_stage_changes() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE muster.stage_counts AS c SET trainees = c.trainees - gone.n
        FROM (SELECT agency, stage, count(*) AS n FROM removed GROUP BY 1, 2) AS gone
        WHERE c.agency = gone.agency AND c.stage = gone.stage;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO muster.stage_counts AS c (agency, stage, trainees)
        SELECT agency, stage, count(*) FROM added GROUP BY 1, 2
        ON CONFLICT (agency, stage) DO UPDATE SET trainees = c.trainees + EXCLUDED.trainees;
    END IF;
    RETURN NULL;
END
$$;

-- Counts `muster.trainee_status` afresh and keeps counting its changes (the migration, and the
-- rebuild once its tables are swapped in, call it).
CREATE FUNCTION muster.count_stages() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DROP TRIGGER IF EXISTS stage_counts_insert ON muster.trainee_status;
    DROP TRIGGER IF EXISTS stage_counts_update ON muster.trainee_status;
    DROP TRIGGER IF EXISTS stage_counts_delete ON muster.trainee_status;
    CREATE TRIGGER stage_counts_insert AFTER INSERT ON muster.trainee_status
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION muster.count_stage_changes();
    CREATE TRIGGER stage_counts_update AFTER UPDATE ON muster.trainee_status
        REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION muster.count_stage_changes();
    CREATE TRIGGER stage_counts_delete AFTER DELETE ON muster.trainee_status
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION muster.count_stage_changes();
    DELETE FROM muster.stage_counts;
    INSERT INTO muster.stage_counts (agency, stage, trainees)
    SELECT agency, stage, count(*) FROM muster.trainee_status GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION muster.count_stages() FROM PUBLIC;

SELECT muster.count_stages();
