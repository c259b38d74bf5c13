-- Indexes of the invoice search (« Factures émises / reçues », GET /api/v1/invoices, CSV export), one per side
-- and criterion, each leading with the structure so that a large structure's criteria stay selective. Chosen
-- with EXPLAIN on 500,000 invoices (bench/search, docs/benchmarks.md). text_pattern_ops serves the number's
-- prefix search (LIKE 'F-2025%') whatever the database's collation.
-- The counterpart (a supplier's invoices to one buyer, or the reverse); status included for index-only scans.
CREATE INDEX invoices_supplier_recipient_idx ON invoices (supplier_structure_id, recipient_structure_id, id) INCLUDE (status);
CREATE INDEX invoices_recipient_supplier_idx ON invoices (recipient_structure_id, supplier_structure_id, id) INCLUDE (status);
CREATE INDEX invoices_supplier_number_prefix_idx ON invoices (supplier_structure_id, number text_pattern_ops);
CREATE INDEX invoices_recipient_number_prefix_idx ON invoices (recipient_structure_id, number text_pattern_ops);
CREATE INDEX invoices_supplier_date_idx ON invoices (supplier_structure_id, invoice_date);
CREATE INDEX invoices_recipient_date_idx ON invoices (recipient_structure_id, invoice_date);
CREATE INDEX invoices_supplier_amount_idx ON invoices (supplier_structure_id, total_with_vat);
CREATE INDEX invoices_recipient_amount_idx ON invoices (recipient_structure_id, total_with_vat);
