-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet 10.4.x).
-- One version row per cluster (DeploymentId = the cluster id): every membership change must move it
-- from the version the silo read to the next, so concurrent changes are serialised optimistically.

CREATE TABLE IF NOT EXISTS broker_membership_version
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    changed_at    timestamptz(3) NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS broker_membership
(
    deployment_id   varchar(150) NOT NULL REFERENCES broker_membership_version (deployment_id),
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NULL,
    suspect_times   varchar(8000) NULL,
    start_time      timestamptz(3) NOT NULL,
    i_am_alive_time timestamptz(3) NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Moves the cluster's version from the one the silo read to the next; false if somebody moved it first.
CREATE OR REPLACE FUNCTION broker_membership_bump_version(p_deployment_id text, p_version integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE broker_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = p_deployment_id AND version = p_version;
    RETURN FOUND;
END;
$$;

-- Adds a silo's row and moves the version on, both or neither. Returns 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION broker_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_silo_name text,
    p_host_name text, p_status integer, p_proxy_port integer, p_start_time timestamptz,
    p_i_am_alive_time timestamptz, p_version integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO broker_membership (deployment_id, address, port, generation, silo_name, host_name,
                                       status, proxy_port, start_time, i_am_alive_time)
        VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
                p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN 0;
        END IF;

        IF NOT broker_membership_bump_version(p_deployment_id, p_version) THEN
            -- Somebody changed the table since this silo read it: undo the insert.
            RAISE EXCEPTION USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN 1;
    EXCEPTION WHEN serialization_failure THEN
        RETURN 0;
    END;
END;
$$;

-- Changes a silo's row and moves the version on, both or neither. Returns 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION broker_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_status integer,
    p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        IF NOT broker_membership_bump_version(p_deployment_id, p_version) THEN
            RETURN 0;
        END IF;

        UPDATE broker_membership
           SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
         WHERE deployment_id = p_deployment_id AND address = p_address
           AND port = p_port AND generation = p_generation;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN 1;
    EXCEPTION WHEN serialization_failure THEN
        RETURN 0;
    END;
END;
$$;

SELECT broker_define_query('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO broker_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM created;
$q$);

SELECT broker_define_query('InsertMembershipKey', $q$
    SELECT broker_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS row_count;
$q$);

SELECT broker_define_query('UpdateMembershipKey', $q$
    SELECT broker_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version) AS row_count;
$q$);

-- Liveness heartbeats do not move the version: they are not membership changes.
SELECT broker_define_query('UpdateIAmAlivetimeKey', $q$
    UPDATE broker_membership SET i_am_alive_time = @IAmAliveTime
     WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$);

-- The cluster's rows (all, or one silo's), always with the version row: the outer join keeps it even
-- when no silo row matches, because the silos need the version to change the table.
CREATE OR REPLACE FUNCTION broker_membership_rows(
    p_deployment_id text, p_address text, p_port integer, p_generation integer)
RETURNS TABLE (DeploymentId varchar, Address varchar, Port integer, Generation integer, SiloName varchar,
               HostName varchar, Status integer, ProxyPort integer, SuspectTimes varchar, StartTime timestamptz,
               IAmAliveTime timestamptz, Version integer)
LANGUAGE sql STABLE AS $$
    SELECT v.deployment_id, m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.proxy_port,
           m.suspect_times, m.start_time, m.i_am_alive_time, v.version
      FROM broker_membership_version v
      LEFT JOIN broker_membership m
        ON m.deployment_id = v.deployment_id
       AND (p_address IS NULL OR (m.address = p_address AND m.port = p_port AND m.generation = p_generation))
     WHERE v.deployment_id = p_deployment_id;
$$;

SELECT broker_define_query('MembershipReadRowKey', $q$
    SELECT * FROM broker_membership_rows(@DeploymentId, @Address, @Port, @Generation);
$q$);

SELECT broker_define_query('MembershipReadAllKey', $q$
    SELECT * FROM broker_membership_rows(@DeploymentId, NULL, NULL, NULL);
$q$);

SELECT broker_define_query('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM broker_membership WHERE deployment_id = @DeploymentId;
    DELETE FROM broker_membership_version WHERE deployment_id = @DeploymentId;
$q$);

SELECT broker_define_query('GatewaysQueryKey', $q$
    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
      FROM broker_membership
     WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$);

-- Removes rows of silos that stopped heart-beating long ago; 3 is SiloStatus.Active, never removed.
SELECT broker_define_query('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM broker_membership
     WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3;
$q$);
