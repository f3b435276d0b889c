-- Orleans' ADO.NET providers read their SQL from this table at start: one row per named query.
-- Their contract is the query names, the parameter names they bind (@Name) and the column names
-- they read back; everything else (tables, functions, indexes) is this project's own.
-- Every script here can be applied again: it creates what is missing and replaces queries and functions.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- Registers (or replaces) one named query.
CREATE OR REPLACE FUNCTION broker_define_query(query_key text, query_text text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (query_key, query_text)
    ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
$$;
