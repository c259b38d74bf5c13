-- Invoices for the search benchmark: :n invoices among 2,000 suppliers and 500 public buyers, with one large
-- buyer (a city: 40 % of all invoices) and one large supplier (15 %). Numbers, dates over 3 years, amounts
-- from 10 € to 250,000 €, statuses mostly past MISE_A_DISPOSITION. Deterministic (setseed).
SELECT setseed(0.42);
INSERT INTO structures (identifier_type, identifier, name, kind, postcode, city)
SELECT 'SIRET', lpad((10000000000000 + g)::text, 14, '0'),
       CASE WHEN g <= 2000 THEN 'Entreprise ' || (ARRAY['Durand','Martin','Bernard','Petit','Robert','Richard','Moreau','Simon'])[1 + g % 8] || ' ' || g
            ELSE 'Commune de ' || (ARRAY['Villeneuve','Saint-Martin','Beaumont','Montigny','Fontaine'])[1 + g % 5] || ' ' || g END,
       CASE WHEN g <= 2000 THEN 'PRIVEE' ELSE 'PUBLIQUE' END, '75001', 'Paris'
FROM generate_series(1, 2500) g;
INSERT INTO invoices (supplier_structure_id, recipient_structure_id, framework, document_type, number, invoice_date, deposit_mode,
                      total_without_vat, total_vat, total_with_vat, amount_due, status, deposited_at)
SELECT s, r, 'A1_FACTURE_FOURNISSEUR', 'FACTURE', 'F-' || (2024 + g % 3) || '-' || lpad(g::text, 8, '0'), d, 'SAISIE_API', ht, round(ht * 0.2, 2), round(ht * 1.2, 2), round(ht * 1.2, 2), st, d::timestamptz
FROM (
  SELECT g,
         CASE WHEN random() < 0.15 THEN b.first_supplier ELSE b.first_supplier + (random() * 1999)::int END AS s,
         CASE WHEN random() < 0.40 THEN b.first_buyer ELSE b.first_buyer + 1 + (random() * 498)::int END AS r,
         DATE '2024-01-01' + (random() * 1095)::int AS d,
         round((10 + random() * random() * 208000)::numeric, 2) AS ht,
         (ARRAY['BROUILLON','DEPOSEE','MISE_A_DISPOSITION','SUSPENDUE','COMPLETEE','REJETEE','SERVICE_FAIT','MANDATEE','MISE_EN_PAIEMENT','MISE_EN_PAIEMENT','MISE_EN_PAIEMENT','MISE_EN_PAIEMENT'])[1 + (random() * 11)::int] AS st
  FROM generate_series(1, :n) g,
       (SELECT (SELECT id FROM structures WHERE identifier = '10000000000001') AS first_supplier,
               (SELECT id FROM structures WHERE identifier = '10000000002001') AS first_buyer) b
) x;
VACUUM ANALYZE structures;
VACUUM ANALYZE invoices;
