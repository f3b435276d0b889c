-- The broker's own rows (Broker.Grains.Storage.IRowStore): small rows addressed by table, owner and key.
-- Keys compare byte-wise (COLLATE "C": UTF-8 bytes, i.e. code point order) whatever the database's locale,
-- so an owner's rows come back in ordinal order and every lookup and page is a range of the primary key.
-- Rows are rewritten often (a grain's head row at every change): room left in each page lets an update that
-- keeps the key and tag stay on its page without new index entries (a HOT update), about 3x cheaper here.

CREATE TABLE IF NOT EXISTS broker_rows
(
    tbl     text COLLATE "C" NOT NULL,
    owner   text COLLATE "C" NOT NULL,
    key     text COLLATE "C" NOT NULL,
    tag     text COLLATE "C" NULL,
    payload bytea  NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (tbl, owner, key)
) WITH (fillfactor = 80);

-- Pages of one tag by key descending: a backward range scan of this index. Untagged rows are not in it.
CREATE INDEX IF NOT EXISTS broker_rows_by_tag ON broker_rows (tbl, owner, tag, key) WHERE tag IS NOT NULL;

-- Applies many commits ("units") in one call and one transaction: the store's group commit.
-- The arrays are parallel, one element per write; a unit's writes are contiguous and units ascend.
-- p_op: 0 put, 1 delete. p_expected: null = unconditional, 0 = the row must not exist, n = it must be at n.
--
-- Units are taken in order, each seeing what the units before it left. A unit whose expectations all hold
-- applies all its writes in order (a put stores the stored version + 1, or 1); a unit with one that does not
-- hold applies nothing and is returned, once, with its first failed write. Other units are not affected.
--
-- First every row of the batch that exists is locked, in key order (so concurrent batches cannot deadlock
-- on them) and its version read; the units are then decided in memory; last each row touched by an applied
-- unit is written once, with its final state. A row that did not exist when locked but was created by a
-- concurrent transaction before this one wrote it raises serialization_failure: nothing is applied and the
-- caller sends the whole batch again (it then sees that row).
CREATE OR REPLACE FUNCTION broker_commit(
    p_unit integer[], p_tbl text[], p_owner text[], p_key text[], p_op smallint[],
    p_payload bytea[], p_tag text[], p_expected bigint[])
RETURNS TABLE (failed_unit integer, row_tbl text, row_owner text, row_key text, expected_version bigint, stored_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    n             integer := coalesce(array_length(p_unit, 1), 0);
    held_version  bigint[];   -- per write: its row's version when locked, 0 = no row
    prior_write   integer[];  -- per write: the batch's previous write of the same row, null = none
    after_version bigint[];   -- per write: its row's version after it, as applied (0 = no row)
    applied       boolean[];  -- per write: its unit applies
    unit_first    integer := 1;
    unit_last     integer;
    stored        bigint;
    ok            boolean;
    missing       integer;
BEGIN
    IF coalesce(array_length(p_tbl, 1), 0) <> n OR coalesce(array_length(p_owner, 1), 0) <> n
       OR coalesce(array_length(p_key, 1), 0) <> n OR coalesce(array_length(p_op, 1), 0) <> n
       OR coalesce(array_length(p_payload, 1), 0) <> n OR coalesce(array_length(p_tag, 1), 0) <> n
       OR coalesce(array_length(p_expected, 1), 0) <> n THEN
        RAISE EXCEPTION 'broker_commit: the arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF n = 0 THEN
        RETURN;
    END IF;

    -- Keys compare as in the table (COLLATE "C"), which is also the cheapest order to sort by.
    WITH batch AS (
        SELECT w.t, w.o, w.k, w.ord, lag(w.ord) OVER (PARTITION BY w.t, w.o, w.k ORDER BY w.ord) AS prior_write
          FROM (SELECT u.t COLLATE "C" AS t, u.o COLLATE "C" AS o, u.k COLLATE "C" AS k, u.ord::integer AS ord
                  FROM unnest(p_tbl, p_owner, p_key) WITH ORDINALITY AS u(t, o, k, ord)) w
    ), locked AS MATERIALIZED (
        SELECT r.tbl, r.owner, r.key, r.version
          FROM broker_rows r
         WHERE (r.tbl, r.owner, r.key) IN (SELECT b.t, b.o, b.k FROM batch b)
         ORDER BY r.tbl, r.owner, r.key
           FOR UPDATE
    )
    SELECT array_agg(coalesce(l.version, 0) ORDER BY b.ord), array_agg(b.prior_write ORDER BY b.ord)
      INTO held_version, prior_write
      FROM batch b
      LEFT JOIN locked l ON l.tbl = b.t AND l.owner = b.o AND l.key = b.k;

    after_version := array_fill(0::bigint, ARRAY[n]);
    applied := array_fill(false, ARRAY[n]);
    WHILE unit_first <= n LOOP
        unit_last := unit_first;
        WHILE unit_last < n AND p_unit[unit_last + 1] = p_unit[unit_first] LOOP
            unit_last := unit_last + 1;
        END LOOP;

        ok := true;
        FOR i IN unit_first .. unit_last LOOP
            stored := CASE WHEN prior_write[i] IS NULL THEN held_version[i] ELSE after_version[prior_write[i]] END;
            IF p_expected[i] IS NOT NULL AND p_expected[i] <> stored THEN
                failed_unit := p_unit[i];
                row_tbl := p_tbl[i];
                row_owner := p_owner[i];
                row_key := p_key[i];
                expected_version := p_expected[i];
                stored_version := nullif(stored, 0);
                RETURN NEXT;
                ok := false;
                EXIT;
            END IF;
            after_version[i] := CASE WHEN p_op[i] = 0 THEN stored + 1 ELSE 0 END;
        END LOOP;

        FOR i IN unit_first .. unit_last LOOP
            applied[i] := ok;
            IF NOT ok THEN
                -- As if the unit were not there: its rows stay as the writes before it left them.
                after_version[i] := CASE WHEN prior_write[i] IS NULL THEN held_version[i] ELSE after_version[prior_write[i]] END;
            END IF;
        END LOOP;
        unit_first := unit_last + 1;
    END LOOP;

    -- Each row an applied unit touched takes the state its last applied write gave it.
    WITH final AS MATERIALIZED (
        SELECT DISTINCT ON (w.t COLLATE "C", w.o COLLATE "C", w.k COLLATE "C") w.t, w.o, w.k, w.op, w.payload, w.tag, w.version, w.held
          FROM unnest(p_tbl, p_owner, p_key, p_op, p_payload, p_tag, after_version, held_version, applied) WITH ORDINALITY
               AS w(t, o, k, op, payload, tag, version, held, applied, ord)
         WHERE w.applied
         ORDER BY w.t COLLATE "C", w.o COLLATE "C", w.k COLLATE "C", w.ord DESC
    ), updated AS (
        UPDATE broker_rows r SET tag = f.tag, payload = f.payload, version = f.version
          FROM final f
         WHERE f.op = 0 AND f.held > 0 AND r.tbl = f.t AND r.owner = f.o AND r.key = f.k
    ), deleted AS (
        DELETE FROM broker_rows r
         USING final f
         WHERE f.op = 1 AND f.held > 0 AND r.tbl = f.t AND r.owner = f.o AND r.key = f.k
    ), inserted AS (
        INSERT INTO broker_rows (tbl, owner, key, tag, payload, version)
        SELECT f.t, f.o, f.k, f.tag, f.payload, f.version FROM final f WHERE f.op = 0 AND f.held = 0
        ON CONFLICT (tbl, owner, key) DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM final f WHERE f.op = 0 AND f.held = 0) - (SELECT count(*) FROM inserted)
      INTO missing;

    IF missing > 0 THEN
        RAISE EXCEPTION 'broker_commit: % row(s) of the batch were created concurrently; send the batch again', missing
            USING ERRCODE = 'serialization_failure';
    END IF;
END;
$$;
