-- Up Migration
-- Timestamps are kept at millisecond precision (the precision of the JSON API and of the
-- keyset cursor), enforced by CHECK constraints so no writer can break pagination.
CREATE TABLE measurements (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  station     text NOT NULL CHECK (char_length(station) BETWEEN 1 AND 100),
  kind        text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 50),
  value       double precision NOT NULL
                CHECK (value <> 'NaN' AND value <> 'Infinity' AND value <> '-Infinity'),
  unit        text CHECK (char_length(unit) BETWEEN 1 AND 20),
  recorded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
                CHECK (recorded_at = date_trunc('milliseconds', recorded_at)),
  created_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  version     integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

-- Unfiltered listing and export: keyset order (recorded_at, id), scanned either way.
CREATE INDEX measurements_recorded_at_id_idx ON measurements (recorded_at, id);
-- Filtered listing and per-station/kind statistics.
CREATE INDEX measurements_station_kind_recorded_at_id_idx
  ON measurements (station, kind, recorded_at, id);

-- Down Migration
DROP TABLE measurements;
