-- Notification preferences per user and category (mail immediately, in a daily digest, or not at all; the
-- in-app notification always exists) and the bookkeeping of the daily digest.

CREATE TABLE notification_preferences (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  category text NOT NULL CHECK (category IN ('FACTURES', 'VALIDATION', 'TRAVAUX', 'COMPTE')),
  mail text NOT NULL CHECK (mail IN ('IMMEDIAT', 'QUOTIDIEN', 'AUCUN')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, category)
);

-- A notification whose mail waits for the user's daily digest; digested_at is set in the digest's transaction.
ALTER TABLE notifications ADD COLUMN category text NOT NULL DEFAULT 'COMPTE';
ALTER TABLE notifications ADD COLUMN digest_pending boolean NOT NULL DEFAULT false;
ALTER TABLE notifications ADD COLUMN digested_at timestamptz;
CREATE INDEX notifications_digest_idx ON notifications (user_id, id) WHERE digest_pending AND digested_at IS NULL;
CREATE INDEX notifications_user_list_idx ON notifications (user_id, id DESC);

-- When each user's last digest went out: claiming the day's digest is one conditional upsert (exactly once).
CREATE TABLE notification_digests (
  user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_sent_at timestamptz NOT NULL
);
