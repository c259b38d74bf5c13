-- The validation circuit of an invoice deposited under a contract (A9 subcontractor, A12 co-contractor, or the
-- mandataire's global payment request): the contract, the validator named by the supplier, the validators the
-- contract designates per level, the open level and its deadline. The decisions themselves are transitions in
-- invoice_events (the hash-chained path).
CREATE TABLE invoice_validations (
  invoice_id integer PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
  contract_id integer NOT NULL REFERENCES contracts (id),
  -- The validator named by the supplier (codeStructureValideur), level 1.
  validator_structure_id integer REFERENCES structures (id),
  -- Designated by the contract when the circuit starts (level 2: the mandataire above a co-traitant).
  validator_1_structure_id integer REFERENCES structures (id),
  validator_2_structure_id integer REFERENCES structures (id),
  levels smallint NOT NULL DEFAULT 0,
  current_level smallint,
  level_opened_at timestamptz,
  due_at timestamptz,
  completed_at timestamptz,
  -- Non-blocking findings at deposit (e.g. cumulative amount beyond the accepted amount), JSON array of strings.
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX invoice_validations_validator_1_idx ON invoice_validations (validator_1_structure_id);
CREATE INDEX invoice_validations_validator_2_idx ON invoice_validations (validator_2_structure_id);
CREATE INDEX invoice_validations_contract_idx ON invoice_validations (contract_id);
CREATE INDEX invoice_validations_due_idx ON invoice_validations (due_at) WHERE due_at IS NOT NULL;
