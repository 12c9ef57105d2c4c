-- Up Migration
-- Who created each measurement and who last changed it: the `sub` of the access token that
-- did it (a user's login at the identity provider, or a machine client's id). NULL for rows
-- written before sign-in existed; never changed by clients directly.
ALTER TABLE measurements
  ADD COLUMN created_by text CHECK (char_length(created_by) BETWEEN 1 AND 255),
  ADD COLUMN updated_by text CHECK (char_length(updated_by) BETWEEN 1 AND 255);

-- Down Migration
ALTER TABLE measurements DROP COLUMN created_by, DROP COLUMN updated_by;
