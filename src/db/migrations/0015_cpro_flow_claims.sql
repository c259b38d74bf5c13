-- Flows shared by every worker process (issue #6): a worker claims a chunk of a flow's files (claim_owner, until
-- claim_until), marking them EN_COURS; any worker may claim the files still EN_ATTENTE, and those EN_COURS whose
-- claim ran out (a worker that died) or was released (claim_until NULL). A file never goes back to EN_ATTENTE: EN_COURS
-- says its invoice may already exist (see src/cpro/flows.ts). cpro_flows.lease_until / lease_owner are no longer used.
ALTER TABLE cpro_flow_items ADD COLUMN claim_owner text, ADD COLUMN claim_until timestamptz;
