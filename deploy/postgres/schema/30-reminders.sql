-- Durable reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.x). Rows are spread over silos by the
-- grain's hash: each silo reads the range of hashes it owns.

CREATE TABLE IF NOT EXISTS broker_reminders
(
    service_id    varchar(150)   NOT NULL,
    grain_id      varchar(150)   NOT NULL,
    reminder_name varchar(150)   NOT NULL,
    start_time    timestamptz(3) NOT NULL,
    period        bigint         NOT NULL,
    grain_hash    integer        NOT NULL,
    version       integer        NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS broker_reminders_by_hash ON broker_reminders (service_id, grain_hash);

SELECT broker_define_query('UpsertReminderRowKey', $q$
    INSERT INTO broker_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
       SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash,
           version = broker_reminders.version + 1
    RETURNING version AS Version;
$q$);

SELECT broker_define_query('ReadReminderRowsKey', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
      FROM broker_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$);

SELECT broker_define_query('ReadReminderRowKey', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
      FROM broker_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$);

-- A range that does not wrap around: (BeginHash, EndHash].
SELECT broker_define_query('ReadRangeRows1Key', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
      FROM broker_reminders
     WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$);

-- A range that wraps around the end of the hash ring.
SELECT broker_define_query('ReadRangeRows2Key', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
      FROM broker_reminders
     WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$);

SELECT broker_define_query('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM broker_reminders
         WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM deleted;
$q$);

SELECT broker_define_query('DeleteReminderRowsKey', $q$
    DELETE FROM broker_reminders WHERE service_id = @ServiceId;
$q$);
