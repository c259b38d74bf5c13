-- Structured deposits (Factur-X, UBL, CII): what the file was and which fields of the invoice it decides.
-- The file itself is the invoice's main document (invoice_documents, role PRINCIPALE).

CREATE TABLE invoice_structured_sources (
  invoice_id integer PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES documents (id),
  sha256 text NOT NULL,
  container text NOT NULL CHECK (container IN ('FACTURX', 'XML')),
  syntax text NOT NULL CHECK (syntax IN ('UBL', 'CII')),
  profile text NOT NULL,
  -- Fields of the invoice set by the XML: locked on the form.
  locked_fields jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- EN 16931 warnings of the deposit (fatal findings refuse the file).
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A retried deposit of the same file finds the invoice it made.
CREATE INDEX invoice_structured_sources_sha256_idx ON invoice_structured_sources (sha256);
