-- Grain state (Microsoft.Orleans.Persistence.AdoNet 10.4.x). The broker stores states with the Orleans
-- binary serializer (types and members carry explicit ids), so only the binary payload column is used.
-- Version is the ETag: a write must name the version it read, so a stale activation's write loses.

CREATE TABLE IF NOT EXISTS broker_grain_state
(
    service_id       varchar(150) NOT NULL,
    grain_type_hash  integer      NOT NULL,
    grain_type       varchar(512) NOT NULL,
    grain_id_hash    integer      NOT NULL,
    grain_id_n0      bigint       NOT NULL,
    grain_id_n1      bigint       NOT NULL,
    grain_id_ext     varchar(512) NOT NULL DEFAULT '',
    payload          bytea        NULL,
    version          integer      NOT NULL,
    modified_at      timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_ext)
);

-- Writes a state: the first write inserts version 1, later ones need the version they read.
-- Returns the new version, or the old one unchanged when the write lost (Orleans then reports a conflict).
CREATE OR REPLACE FUNCTION broker_grain_state_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_ext text, p_service_id text, p_version integer, p_payload bytea) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO broker_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0,
                                        grain_id_n1, grain_id_ext, payload, version)
        VALUES (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0,
                p_grain_id_n1, coalesce(p_grain_id_ext, ''), p_payload, 1)
        ON CONFLICT DO NOTHING;
        RETURN CASE WHEN FOUND THEN 1 ELSE NULL END;
    END IF;

    UPDATE broker_grain_state
       SET payload = p_payload, version = version + 1, modified_at = now()
     WHERE service_id = p_service_id AND grain_type_hash = p_grain_type_hash AND grain_id_hash = p_grain_id_hash
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1 AND grain_type = p_grain_type
       AND grain_id_ext = coalesce(p_grain_id_ext, '') AND version = p_version;
    RETURN CASE WHEN FOUND THEN p_version + 1 ELSE p_version END;
END;
$$;

SELECT broker_define_query('WriteToStorageKey', $q$
    SELECT broker_grain_state_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
$q$);

SELECT broker_define_query('ReadFromStorageKey', $q$
    SELECT payload AS PayloadBinary, NULL::xml AS PayloadXml, NULL::text AS PayloadJson,
           now() AS ModifiedOn, version AS Version
      FROM broker_grain_state
     WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
       AND grain_id_ext = coalesce(@GrainIdExtensionString, '');
$q$);

-- Clearing keeps the row (and moves the version), so a later first write cannot resurrect an old version.
SELECT broker_define_query('ClearStorageKey', $q$
    UPDATE broker_grain_state SET payload = NULL, version = version + 1, modified_at = now()
     WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
       AND grain_id_ext = coalesce(@GrainIdExtensionString, '') AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;
$q$);
