-- The readiness board reads only the trainees who can be near solo patrol.
--
-- A trainee's expected solo date is the later of its earliest bound and today plus its lead days
-- (the working days still needed), so a trainee expected within d days has a lead of at most d
-- days. Led by the lead days, these indexes give the board the few trainees that can qualify;
-- the board index (led by the earliest bound) had it read every trainee in field training whose
-- bound had passed and filter them, nearly all of them in a department with a long field
-- training program. Lead days and the earliest bound are both set or both unset.
CREATE INDEX trainee_status_readiness_idx ON muster.trainee_status (agency, expected_solo_lead_days, expected_solo_earliest_on)
    INCLUDE (name, trainee_id) WHERE stage = 'field_training';
CREATE INDEX trainee_status_statewide_readiness_idx ON muster.trainee_status (expected_solo_lead_days, expected_solo_earliest_on)
    INCLUDE (name, trainee_id) WHERE stage = 'field_training';
