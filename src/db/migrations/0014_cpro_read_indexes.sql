-- Newest first per structure: the first page of a search (the Chorus-compatible API's rechercher, the lists of
-- « Factures émises / reçues ») and its count, capped at 200, read the structure's newest index entries and stop,
-- whatever the statistics say (a database just filled, before ANALYZE, planned a bitmap scan of every invoice of
-- the structure and a sort). Status (and the recipient's service, for per-service rights) included for
-- index-only scans.
CREATE INDEX invoices_supplier_newest_idx ON invoices (supplier_structure_id, id) INCLUDE (status);
CREATE INDEX invoices_recipient_newest_idx ON invoices (recipient_structure_id, id) INCLUDE (status, service_id);
