/**
 * The provisioning history: one row per audit entry, kept once per entry id however often it is sent. The entry is
 * kept as the JSON text it was sent as (`json`, not `jsonb`): it is only ever read whole, and the columns beside it
 * carry what filters use.
 */
export const auditMigration = {
  version: 1,
  name: 'audit entries',
  sql: `
CREATE TABLE pws_audit_entries (
  id          uuid PRIMARY KEY,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  time        timestamptz NOT NULL,
  station     text NOT NULL,
  operator    text NOT NULL,
  run_id      text NOT NULL,
  result      text NOT NULL CHECK (result IN ('passed', 'failed', 'cancelled')),
  device_text text NOT NULL,
  entry       json NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pws_audit_entries_newest ON pws_audit_entries (time DESC, seq DESC);
CREATE INDEX pws_audit_entries_station ON pws_audit_entries (lower(station), time DESC);
CREATE INDEX pws_audit_entries_run ON pws_audit_entries (run_id);
`,
};
