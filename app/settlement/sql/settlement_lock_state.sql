-- settlement_lock_state(hospital, bill, person, year): the settle path's locks and reads after
-- them, called from the first statement of a settlement (app/settlement/repository.py,
-- lock_and_read), which has already taken the bill's advisory lock.
--
-- A PL/pgSQL function takes a new snapshot for each statement it runs, so what it reads after
-- taking the person-year lock is what every earlier holder of that lock committed.
-- With person NULL (no such person) no person-year is locked and the accumulators are empty;
-- the bill's history is still read.
--
-- Loaded by migration 0010 (which replaced 0008's version, migrations/versions/sql/, to take
-- the lock by person_year_lock_key, person_year_lock_key.sql beside this file). A change to
-- this file needs a migration that loads it again and keeps the version it replaces.
CREATE OR REPLACE FUNCTION settlement_lock_state(hospital text, bill text, person bigint,
                                                 year_ integer)
RETURNS TABLE (generations bigint, active_id uuid, active_request_hash text, last_id uuid,
               accumulator_keys text[], accumulator_amounts bigint[])
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  IF person IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(person_year_lock_key(person, year_));
  END IF;
  RETURN QUERY
  SELECT h.generations, h.active_id, h.active_request_hash, h.last_id, a.keys, a.amounts
  FROM (
    SELECT count(s.id) AS generations,
      (array_agg(s.id ORDER BY s.generation) FILTER (WHERE r.id IS NULL))[1] AS active_id,
      ((array_agg(s.request_hash ORDER BY s.generation) FILTER (WHERE r.id IS NULL))[1])::text
        AS active_request_hash,
      (array_agg(s.id ORDER BY s.generation DESC))[1] AS last_id
    FROM settlements s LEFT JOIN reversals r ON r.settlement_id = s.id
    WHERE s.hospital_code = hospital AND s.bill_no = bill) AS h,
   (SELECT array_agg(c.key)::text[] AS keys, array_agg(c.amount_fen) AS amounts
    FROM accumulators c WHERE c.person_id = person AND c.year = year_) AS a;
END
$$
