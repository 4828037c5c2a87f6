/**
 * The identity registry (issue 10) in the shared database. The registry's rules are carried by the schema:
 * `{seq}` comes from a sequence (never handed out twice, whatever rolls back), and a live record (one no re-issue
 * replaced) is unique per endpoint name, per `{seq}` and per device. A re-issue first marks the old record
 * superseded, then adds the new one, in one transaction (the references are checked at commit).
 */
export const identitiesMigration = {
  version: 2,
  name: 'identity registry',
  sql: `
CREATE SEQUENCE pws_identity_seq AS bigint;
CREATE TABLE pws_identities (
  id            uuid PRIMARY KEY,
  seq           bigint NOT NULL,
  endpoint_name text NOT NULL,
  state         text NOT NULL CHECK (state IN ('reserved', 'issued', 'confirmed', 'unconfirmed')),
  device_key    text NOT NULL,
  device        jsonb NOT NULL,
  device_text   text NOT NULL,
  certificate   jsonb,
  ca            jsonb NOT NULL,
  run_id        text NOT NULL,
  operator      text NOT NULL,
  station       text NOT NULL,
  reserved_at   timestamptz NOT NULL,
  issued_at     timestamptz,
  settled_at    timestamptz,
  reason        text,
  reissue_of    uuid UNIQUE REFERENCES pws_identities (id) DEFERRABLE INITIALLY DEFERRED,
  superseded_by uuid UNIQUE REFERENCES pws_identities (id) DEFERRABLE INITIALLY DEFERRED,
  row_order     bigint GENERATED ALWAYS AS IDENTITY,
  CHECK ((state = 'reserved') = (certificate IS NULL))
);
CREATE UNIQUE INDEX pws_identities_live_endpoint_name ON pws_identities (lower(endpoint_name)) WHERE superseded_by IS NULL;
CREATE UNIQUE INDEX pws_identities_live_seq ON pws_identities (seq) WHERE superseded_by IS NULL;
CREATE UNIQUE INDEX pws_identities_live_device ON pws_identities (device_key) WHERE superseded_by IS NULL;
CREATE INDEX pws_identities_newest ON pws_identities (row_order DESC);
CREATE INDEX pws_identities_run ON pws_identities (run_id);
`,
};
