import { hasRight, type Membership } from '../structures/index.ts';
import type { ActorRole } from './lifecycle.ts';

/**
 * Who may do what with invoices: the supplier side needs the space « Factures émises » of the supplier
 * structure, the recipient side « Factures reçues » of the recipient structure (per service when the
 * right is limited to services). Read this table to know who may do what.
 */
export const INVOICE_PERMISSIONS = {
  'invoice.supplier.view': { role: 'FOURNISSEUR', space: 'FACTURES_EMISES', access: 'CONSULTATION_UNIQUEMENT' },
  'invoice.supplier.edit': { role: 'FOURNISSEUR', space: 'FACTURES_EMISES', access: 'MODIFICATION' },
  'invoice.recipient.view': { role: 'DESTINATAIRE', space: 'FACTURES_RECUES', access: 'CONSULTATION_UNIQUEMENT' },
  'invoice.recipient.process': { role: 'DESTINATAIRE', space: 'FACTURES_RECUES', access: 'MODIFICATION' },
} as const;
export type InvoicePermission = keyof typeof INVOICE_PERMISSIONS;

/** The permission a lifecycle role needs to act. */
export const ACTING_PERMISSION: Record<'FOURNISSEUR' | 'DESTINATAIRE', InvoicePermission> = {
  FOURNISSEUR: 'invoice.supplier.edit',
  DESTINATAIRE: 'invoice.recipient.process',
};

export function canOnInvoice(m: Membership, permission: InvoicePermission, serviceId: number | null | undefined): boolean {
  const p = INVOICE_PERMISSIONS[permission];
  return hasRight(m, p.space, p.access, p.role === 'DESTINATAIRE' ? serviceId : undefined);
}

/** The services a member may see in a space: null = all, else the list (a per-service right). */
export function servicesInSpace(m: Membership, space: string): number[] | null {
  if (m.role === 'GESTIONNAIRE_PRINCIPAL') return null;
  const rows = m.rights.filter((r) => r.space === space);
  if (rows.some((r) => r.serviceId === null)) return null;
  return rows.map((r) => r.serviceId!);
}
