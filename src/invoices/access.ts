import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { loadMembership, type Membership } from '../structures/index.ts';
import { VISIBLE_TO_RECIPIENT, type ActorRole, type InvoiceStatus } from './lifecycle.ts';
import { ACTING_PERMISSION, canOnInvoice } from './permissions.ts';
import { findInvoice, type InvoiceRow } from './repository.ts';

export const invoiceNotFound = () => new AppError('NOT_FOUND', 'NOT_FOUND', 'Facture introuvable.');

export interface InvoiceAccess {
  invoice: InvoiceRow;
  supplier: Membership;
  recipient: Membership;
  /** The sides the actor may see and act on. */
  sees: { FOURNISSEUR: boolean; DESTINATAIRE: boolean };
  acts: { FOURNISSEUR: boolean; DESTINATAIRE: boolean };
}

/** Loads an invoice and what the actor is to it; outsiders (and recipients before it reaches them) get NOT_FOUND. */
export async function loadInvoiceAccess(db: Executor, actor: Actor, invoiceId: number, invoice?: InvoiceRow): Promise<InvoiceAccess> {
  const inv = invoice ?? (await findInvoice(db, invoiceId));
  if (!inv) throw invoiceNotFound();
  const supplier = await loadMembership(db, actor.userId, inv.supplier_structure_id, actor.isTechnical);
  const recipient = await loadMembership(db, actor.userId, inv.recipient_structure_id, actor.isTechnical);
  const reached = VISIBLE_TO_RECIPIENT.includes(inv.status as InvoiceStatus);
  const sees = {
    FOURNISSEUR: canOnInvoice(supplier, 'invoice.supplier.view', null),
    DESTINATAIRE: reached && canOnInvoice(recipient, 'invoice.recipient.view', inv.service_id),
  };
  if (!sees.FOURNISSEUR && !sees.DESTINATAIRE) throw invoiceNotFound();
  const acts = {
    FOURNISSEUR: canOnInvoice(supplier, ACTING_PERMISSION.FOURNISSEUR, null),
    DESTINATAIRE: reached && canOnInvoice(recipient, ACTING_PERMISSION.DESTINATAIRE, inv.service_id),
  };
  return { invoice: inv, supplier, recipient, sees, acts };
}

/** The actor must be able to act as `role` on the invoice (FORBIDDEN when he only consults). */
export function requireActing(access: InvoiceAccess, role: 'FOURNISSEUR' | 'DESTINATAIRE'): void {
  if (!access.sees[role]) throw invoiceNotFound();
  if (!access.acts[role])
    throw new AppError('FORBIDDEN', 'FORBIDDEN', role === 'FOURNISSEUR'
      ? "Vous n'avez pas le droit de modifier les factures émises de cette structure."
      : "Vous n'avez pas le droit de traiter les factures reçues de cette structure (ou de ce service).");
}
