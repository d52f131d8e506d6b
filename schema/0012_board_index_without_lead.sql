-- The board indexes no longer carry each trainee's lead days.
--
-- schema/0010 added them so the readiness board could filter on board index entries alone;
-- schema/0011 gave readiness indexes of its own, led by the lead days. Left in place, the board
-- index competed for the readiness query's plan (planned once per connection, for any number of
-- days) and won whenever the statistics tipped: measured at 100,000 officers, every call then
-- read and filtered every trainee in field training whose earliest bound had passed (2,359
-- index entries for an empty board), and the board's p99 through HTTP rose from 12 to 39 ms.
-- Without the lead days, only the readiness indexes answer the query from index entries alone.
-- Same names, so the rebuild and the tests know them.
DROP INDEX muster.trainee_status_board_idx;
CREATE INDEX trainee_status_board_idx ON muster.trainee_status (agency, stage, expected_solo_earliest_on, name, trainee_id);
DROP INDEX muster.trainee_status_statewide_board_idx;
CREATE INDEX trainee_status_statewide_board_idx ON muster.trainee_status (stage, expected_solo_earliest_on, name, trainee_id);
