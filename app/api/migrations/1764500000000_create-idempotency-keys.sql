-- Up Migration
-- Outcomes of POSTs sent with an Idempotency-Key (IETF httpapi idempotency-key-header draft):
-- a retry with the same key and payload gets the stored response instead of writing again.
-- A row is written in the same transaction as the write it records, so "written" and
-- "recorded" cannot disagree.
CREATE TABLE idempotency_keys (
  scope       text NOT NULL,          -- method and path, e.g. 'POST /api/measurements'
  key         text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,          -- sha256 of the request body
  status      integer NOT NULL,
  headers     jsonb NOT NULL,
  body        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
-- Expired keys are deleted a few at a time, oldest first.
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
