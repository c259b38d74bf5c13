import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { csvDocument } from '../shared/csv.ts';
import { verifyChain } from './chain.ts';
import { ROLE_LABELS, reasonLabel, reformCodeOf, statusLabel, type ActorRole } from './lifecycle.ts';
import { listInvoiceEvents } from './repository.ts';
import { searchInvoices, type InvoiceSearchInput } from './search-invoices.ts';
import { getInvoice } from './get-invoice.ts';

/** The most rows one export carries (a search narrower than that is asked for beyond it). */
export const EXPORT_MAX_ROWS = 50_000;
const PAGE = 200;

/** A search exported as CSV (semicolon, UTF-8 with BOM, French headers), all pages up to EXPORT_MAX_ROWS. */
export async function exportInvoicesCsv(ctx: Ctx, actor: Actor, raw: Omit<InvoiceSearchInput, 'page' | 'pageSize'>) {
  const rows: string[][] = [];
  let total = 0;
  for (let page = 1; rows.length < EXPORT_MAX_ROWS; page++) {
    const r = await searchInvoices(ctx, actor, { ...raw, page, pageSize: PAGE });
    total = r.total;
    for (const i of r.invoices)
      rows.push([
        String(i.id), i.number, i.document_type, i.framework, i.invoice_date, i.due_date ?? '', i.supplier_name, i.supplier_identifier, i.recipient_name, i.recipient_identifier,
        i.service_code ?? '', i.ej_number ?? '', i.currency, i.total_without_vat, i.total_vat, i.total_with_vat, i.amount_due, i.status, statusLabel(i.status),
        String(reformCodeOf(i.status) ?? ''), i.deposited_at ? new Date(i.deposited_at).toISOString() : '', i.mandate_number ?? '',
      ]);
    if (r.invoices.length < PAGE) break;
  }
  const csv = csvDocument(
    ['Identifiant', 'Numéro', 'Type', 'Cadre', 'Date de facture', "Date d'échéance", 'Fournisseur', 'SIRET fournisseur', 'Destinataire', 'SIRET destinataire',
      'Code service', "Numéro d'engagement", 'Devise', 'Total HT', 'TVA', 'Total TTC', 'Net à payer', 'Statut', 'Libellé du statut', 'Code réforme', 'Déposée le (UTC)', 'Mandat'],
    rows.slice(0, EXPORT_MAX_ROWS),
  );
  return { csv, rows: Math.min(rows.length, EXPORT_MAX_ROWS), total, truncated: total > EXPORT_MAX_ROWS };
}

/** The path (parcours) of an invoice, for whoever may see it: every event with its reform code, as JSON or CSV. */
export async function exportInvoicePath(ctx: Ctx, actor: Actor, invoiceId: number) {
  const g = await getInvoice(ctx, actor, invoiceId);
  const events = g.path.map((e) => ({
    seq: e.seq, at: e.createdAt.toISOString(), type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus,
    statusLabel: e.toStatus ? statusLabel(e.toStatus) : null, reformCode: e.reformCode, actorRole: e.actorRole, actor: e.actorName,
    reason: e.reason, reasonLabel: reasonLabel(e.action ?? '', e.reason), comment: e.comment, data: e.data, prevHash: e.prevHash, hash: e.hash,
  }));
  const json = { invoiceId, number: g.invoice.number, supplier: g.invoice.supplier_identifier, recipient: g.invoice.recipient_identifier, chain: g.chain, events };
  const csv = csvDocument(
    ['N°', 'Date (UTC)', 'Événement', 'Action', 'De', 'Vers', 'Statut', 'Code réforme', 'Rôle', 'Acteur', 'Motif', 'Commentaire', 'Empreinte précédente', 'Empreinte'],
    events.map((e) => [String(e.seq), e.at, e.type, e.action ?? '', e.fromStatus ?? '', e.toStatus ?? '', e.statusLabel ?? '', e.reformCode === null ? '' : String(e.reformCode),
      e.actorRole ? ROLE_LABELS[e.actorRole as ActorRole] ?? e.actorRole : '', e.actor ?? '', e.reasonLabel ?? '', e.comment ?? '', e.prevHash, e.hash]),
  );
  return { json, csv };
}

/**
 * Operators' check of every invoice's hash chain (`ouvrage invoices verify-chain`): no actor, the whole
 * database or one invoice. Returns the broken chains with the first broken event.
 */
export async function verifyAllChains(db: Executor, only?: number) {
  const broken: Array<{ invoiceId: number; number: string; brokenAtSeq: number; problem: string }> = [];
  let invoices = 0;
  let events = 0;
  for (let after = 0; ;) {
    let q = db.selectFrom('invoices').select(['id', 'number']).where('id', '>', after).orderBy('id').limit(500);
    if (only) q = q.where('id', '=', only);
    const batch = await q.execute();
    if (!batch.length) break;
    for (const inv of batch) {
      const v = verifyChain(await listInvoiceEvents(db, inv.id));
      invoices++;
      events += v.events;
      if (!v.ok) broken.push({ invoiceId: inv.id, number: inv.number, brokenAtSeq: v.brokenAtSeq, problem: v.problem });
    }
    after = batch[batch.length - 1].id;
  }
  return { invoices, events, broken };
}
