-- The flow-wide lease of 0006 (lease_until, lease_owner), replaced in 0015 by the claims of each chunk of files
-- (cpro_flow_items.claim_owner / claim_until): nothing reads or writes it any more.
ALTER TABLE cpro_flows DROP COLUMN lease_until, DROP COLUMN lease_owner;
