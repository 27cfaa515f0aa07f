-- person_year_lock_key(person, year): the key of the advisory lock that serializes the
-- settlements and reversals of one person in one accumulator year. The one definition: the
-- settle path takes it inside settlement_lock_state (settlement_lock_state.sql), a reversal
-- through app.settlement.repository.lock_person_year, bench/http.py's pgbench script in SQL.
--
-- person * 4096 + (year - 1900): years 1900 to 5995 fit the low 12 bits, so two person-years
-- never share a key, and the key is never negative (a bill's key always is:
-- app.settlement.repository.bill_key), so the two kinds of lock never meet.
--
-- A SQL function rather than a Python formula: the settle path learns the person's id in the
-- same statement that takes the lock (it looks the ID number up first), so only the database
-- can compute the key without another round trip. IMMUTABLE, so the planner inlines it.
--
-- Loaded by migration 0010.
CREATE FUNCTION person_year_lock_key(person bigint, year integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (person << 12) + (year - 1900) $$
