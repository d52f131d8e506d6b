-- A badge number identifies one officer of an agency. The decider refuses a hire that names a
-- held badge; this index makes the database refuse it too, so two hires racing past the check
-- (or a writer holding the application's role and skipping the check) end in one refusal.
-- Queries that look a badge up name the same type and fields, so this index serves them.
CREATE UNIQUE INDEX events_hire_badge_key ON muster.events ((data ->> 'agency'), (data ->> 'badge'))
    WHERE event_type = 'hiring.recruit-hired.v1';
