-- Each flow file's SHA-256 (0006): nothing read it (a re-sent flow is known by the whole flow's SHA-256,
-- cpro_flows.sha256; an invoice by its own file's, in its deposit). Computing it meant inflating the whole archive
-- before the first chunk could be read.
ALTER TABLE cpro_flow_items DROP COLUMN sha256;
