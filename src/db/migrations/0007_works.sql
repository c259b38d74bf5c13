-- Works contracts (marchés de travaux) and their billing pieces (A4–A25). A works contract EXTENDS a
-- contract (contracts, 0005) with the MOE, the MOA, the paying financial service, the price schedule and
-- the financial terms (advance, retention, revision formula) as the décompte engine reads them
-- (src/works/decompte.ts), the index series and the contract's deadlines (defaults: CCAG Travaux 2021).
-- Each piece is a payment request of the invoices table (one lifecycle engine); works_pieces adds the
-- chain (previous piece), the month, the progress and the computed statement.

CREATE TABLE works_contracts (
  contract_id integer PRIMARY KEY REFERENCES contracts (id) ON DELETE CASCADE,
  -- The MOE may not be on the platform yet (its pieces wait at A_ASSOCIER_MOE).
  moe_structure_id integer REFERENCES structures (id),
  moe_service_id integer REFERENCES services (id),
  moa_structure_id integer NOT NULL REFERENCES structures (id),
  payer_structure_id integer NOT NULL REFERENCES structures (id),
  payer_service_id integer REFERENCES services (id),
  ej_number text,
  -- WorksTerms: priceSchedule, vatRate, advance, retention, revision.
  terms jsonb NOT NULL,
  -- IndexSeries: index name → month → value.
  indexes jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Deadline overrides in days (src/works/deadlines.ts).
  deadlines jsonb NOT NULL DEFAULT '{}'::jsonb,
  reception_notified_at timestamptz,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX works_contracts_moe_idx ON works_contracts (moe_structure_id);
CREATE INDEX works_contracts_moa_idx ON works_contracts (moa_structure_id);

CREATE TABLE works_pieces (
  invoice_id integer PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
  contract_id integer NOT NULL REFERENCES works_contracts (contract_id),
  -- 'YYYY-MM' of a monthly piece; NULL for the end-of-contract pieces.
  month text,
  phase text NOT NULL CHECK (phase IN ('MENSUEL', 'FIN')),
  depositor_role text NOT NULL CHECK (depositor_role IN ('FOURNISSEUR', 'MOE', 'MOA')),
  depositor_structure_id integer NOT NULL REFERENCES structures (id),
  previous_invoice_id integer REFERENCES invoices (id),
  -- The progress entered (cumulative per price line) and the penalties of the month.
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  penalties jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The computed statement (src/works/decompte.ts Statement) and, for a corrected piece, the differences.
  statement jsonb,
  differences jsonb,
  -- The MOE's receipt (platform timestamp): starts the payment delay and the MOE's 7 days.
  moe_received_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX works_pieces_contract_idx ON works_pieces (contract_id, month, invoice_id);
CREATE INDEX works_pieces_previous_idx ON works_pieces (previous_invoice_id);

-- Alerts already sent by the clocks (one per piece and kind).
CREATE TABLE works_alerts (
  invoice_id integer NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  kind text NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, kind)
);
