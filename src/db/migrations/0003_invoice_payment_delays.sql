-- Legal payment delays (Code de la commande publique, R.2192-10 s.): the delay of each public payer, the
-- reference rate of the ECB (late-payment interest = ECB rate + 8 points) and each invoice's clock.

CREATE TABLE structure_payment_terms (
  structure_id integer PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
  -- ETAT and COLLECTIVITE_TERRITORIALE: 30 days; ETABLISSEMENT_PUBLIC_SANTE: 50 days; AUTRE: 30 days.
  payer_category text NOT NULL CHECK (payer_category IN ('ETAT', 'COLLECTIVITE_TERRITORIALE', 'ETABLISSEMENT_PUBLIC_SANTE', 'AUTRE')),
  -- A shorter delay agreed by the structure (never longer than the legal one); null = the legal delay.
  delay_days integer CHECK (delay_days BETWEEN 1 AND 60),
  updated_by integer REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The ECB main refinancing operations rate in force on the first day of each half-year (reference data:
-- add a row each half-year). Late-payment interest uses the rate of the half-year in which it starts to run.
CREATE TABLE ecb_reference_rates (
  valid_from date PRIMARY KEY,
  rate numeric(6, 3) NOT NULL,
  source text
);
INSERT INTO ecb_reference_rates (valid_from, rate, source) VALUES
  ('2022-07-01', 0.000, 'BCE, taux des opérations principales de refinancement'),
  ('2023-01-01', 2.500, 'BCE, taux des opérations principales de refinancement'),
  ('2023-07-01', 4.000, 'BCE, taux des opérations principales de refinancement'),
  ('2024-01-01', 4.500, 'BCE, taux des opérations principales de refinancement'),
  ('2024-07-01', 4.250, 'BCE, taux des opérations principales de refinancement'),
  ('2025-01-01', 3.150, 'BCE, taux des opérations principales de refinancement'),
  ('2025-07-01', 2.150, 'BCE, taux des opérations principales de refinancement'),
  ('2026-01-01', 2.150, 'BCE, taux des opérations principales de refinancement (à confirmer)'),
  ('2026-07-01', 2.150, 'BCE, taux des opérations principales de refinancement (à confirmer)');

CREATE TABLE invoice_payment_clocks (
  invoice_id integer PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
  delay_days integer NOT NULL,
  started_on date NOT NULL,
  -- Due date without suspensions; the suspensions (from the path) push it back.
  base_due_on date NOT NULL,
  paid_on date,
  stopped_on date,
  days_late integer,
  ecb_rate numeric(6, 3),
  interest_rate numeric(6, 3),
  late_interest numeric(19, 2),
  fixed_indemnity numeric(19, 2),
  overdue_alerted_at timestamptz
);
