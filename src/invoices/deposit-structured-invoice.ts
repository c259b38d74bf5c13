import { createHash } from 'node:crypto';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { findStructure, loadMembership, parisIsoDay } from '../structures/index.ts';
import { chorusIssues } from './structured-chorus-checks.ts';
import { ATTACHMENT_RULES, fileTooLargeMessage, type StructuredDepositMode } from './model.ts';
import { canOnInvoice } from './permissions.ts';
import { addInvoiceDocument, appendEvent, insertInvoice, insertLinesAndTotals } from './repository.ts';
import { findBySupplierNumber, insertStructuredSource } from './deposits-repository.ts';
import { findRecipient, findRecipientService } from './recipient-requirements.ts';
import { sendDraft } from './submit-invoice.ts';
import { containerOf, fieldsOfIssues, sellerMatches, storedFilename, type Container, type DepositIssue, type StructuredInvoiceData } from './structured-file.ts';
import { readStructuredFile } from './read-structured-file.ts';
import type { CertificateWhen } from './deposit-certificate.ts';

/** Where the file comes from: the portal, the native API, or a flow (Chorus-Pro-compatible `deposer/flux`, batch). */
export type DepositChannel = 'PORTAIL' | 'API' | 'FLUX';

export interface StructuredDepositOptions {
  channel?: DepositChannel;
  /** true: the invoice is sent at once (checks, certificate, DEPOSEE) as a flow does; false (default): it stays BROUILLON. */
  submit?: boolean;
  /** Overrides BT-23 (the cadre de facturation) when the caller knows it, e.g. from the flow's own data. */
  framework?: 'A1_FACTURE_FOURNISSEUR' | 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE';
  /**
   * A mixed (E2) flow of Chorus Pro (IN_DP_E2_UBL_INVOICE_MIN, IN_DP_E2_CII_MIN_16B): the XML may be minimal —
   * header and totals without lines (Factur-X MINIMUM, BASIC WL, or a UBL / CII without lines) — and carries the
   * invoice as a PDF (BG-24), kept as a complementary document. The EN 16931 rules about lines do not apply.
   */
  mixed?: boolean;
  /** With `submit`: the deposit certificate rendered at once (default) or on its first request (a flow's invoices). */
  certificate?: CertificateWhen;
}

/** Stable codes of a refused structured deposit. */
export type StructuredDepositErrorCode =
  | 'FILE_EMPTY' | 'FILE_TOO_LARGE' | 'FILE_TYPE_UNSUPPORTED'
  | 'XML_MALFORMED' | 'XML_DOCTYPE_FORBIDDEN' | 'XML_TOO_DEEP' | 'XML_TOO_MANY_ELEMENTS' | 'XML_ENCODING_UNSUPPORTED' | 'INPUT_TOO_LARGE'
  | 'NOT_AN_INVOICE' | 'INVOICE_INCOMPLETE' | 'PDF_MALFORMED' | 'PDF_ENCRYPTED' | 'PDF_NO_INVOICE' | 'PDF_SEVERAL_INVOICES'
  | 'PROFILE_NOT_ACCEPTED' | 'EN16931_INVALID' | 'CHORUS_RULES_FAILED' | 'INVOICE_DATA_INVALID' | 'SUPPLIER_MISMATCH' | 'RECIPIENT_MISSING' | 'RECIPIENT_UNKNOWN'
  | 'SERVICE_UNKNOWN' | 'INVOICE_NUMBER_TAKEN' | 'INVOICE_CHECKS_FAILED' | 'MIXED_PDF_MISSING';

export type StructuredDepositResult =
  | {
      ok: true;
      invoiceId: number;
      status: string;
      /** true when this very file had already made this invoice (a retried deposit): nothing new was written. */
      duplicate: boolean;
      number: string;
      syntax: 'UBL' | 'CII';
      container: Container;
      profile: string;
      /** EN 16931 warnings (the file is accepted). */
      warnings: DepositIssue[];
    }
  | { ok: false; code: StructuredDepositErrorCode; message: string; errors: DepositIssue[] };

const refuse = (code: StructuredDepositErrorCode, message: string, errors: DepositIssue[] = []): StructuredDepositResult => ({
  ok: false, code, message, errors: errors.length ? errors : [{ code, field: 'file', message }],
});

/** An error result as the transports' AppError (fields keyed by the invoice's fields). */
export function structuredDepositError(r: Extract<StructuredDepositResult, { ok: false }>): AppError {
  const kind = r.code === 'INVOICE_NUMBER_TAKEN' ? 'CONFLICT' : r.code === 'FILE_TOO_LARGE' || r.code === 'INPUT_TOO_LARGE' ? 'TOO_LARGE' : 'VALIDATION';
  return new AppError(kind, r.code, r.message, fieldsOfIssues(r.errors));
}

const MODE: Record<DepositChannel, (c: Container) => StructuredDepositMode> = {
  PORTAIL: () => 'UPLOAD_PORTAIL',
  API: () => 'UPLOAD_API',
  FLUX: (c) => (c === 'FACTURX' ? 'EDI_MIXTE' : 'EDI_XML_STRUCT'),
};

/**
 * The supplier deposits one structured invoice: a Factur-X PDF, a UBL 2.1 Invoice/CreditNote or a CII D16B file.
 * The data is read from the XML (src/formats), the EN 16931 rules run (src/validation), the file is stored as the
 * main document, and the invoice is created BROUILLON (or sent at once with `submit`). Callable from the web, the
 * API and jobs (flows, batches): content problems come back as `{ ok: false, code, errors }`, never thrown;
 * only an actor without the right on the supplier structure gets an AppError (NOT_FOUND or FORBIDDEN).
 * Retrying with the same file returns the invoice it made (`duplicate: true`).
 */
export async function depositStructuredInvoice(
  ctx: Ctx,
  actor: Actor,
  supplierStructureId: number,
  file: { bytes: Uint8Array; filename: string },
  options: StructuredDepositOptions = {},
): Promise<StructuredDepositResult> {
  const supplier = await authorizeSupplier(ctx, actor, supplierStructureId);
  const { bytes } = file;
  if (!bytes.byteLength) return refuse('FILE_EMPTY', `Le fichier « ${file.filename} » est vide.`);
  if (bytes.byteLength > ATTACHMENT_RULES.maxFileBytes) return refuse('FILE_TOO_LARGE', fileTooLargeMessage(file.filename));
  const container = containerOf(bytes);
  if (!container)
    return refuse('FILE_TYPE_UNSUPPORTED', `Le fichier « ${file.filename} » n'est ni un PDF Factur-X ni un fichier XML (UBL ou CII).`);

  // The pure part: the XML read into the EN 16931 model, the EN 16931 rules, the invoice's data.
  const structured = await readStructuredFile(bytes, container, { mixed: options.mixed });
  if (!structured.ok) return refuse(structured.code, structured.message, structured.errors);
  const { read, warnings, data, invoicePdf } = structured;
  if (!sellerMatches(data, supplier.identifier))
    return refuse('SUPPLIER_MISMATCH', `Le vendeur du fichier (${read.invoice.seller.name}${data.sellerIds.length ? `, ${data.sellerIds.join(', ')}` : ''}) n'est pas votre structure ${supplier.name} (${supplier.identifier}).`, [
      { code: 'SUPPLIER_MISMATCH', field: 'supplier', message: `Vendeur (BT-29, BT-30) : le fichier doit désigner ${supplier.name} par son SIRET ${supplier.identifier}.` },
    ]);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const framework = options.framework ?? data.framework ?? 'A1_FACTURE_FOURNISSEUR';

  // A retried deposit of the same file returns the invoice it made; another file with the same number is refused.
  const existing = await findBySupplierNumber(ctx.db, supplierStructureId, data.number);
  if (existing) {
    if (existing.sha256 === sha256)
      return { ok: true, invoiceId: existing.id, status: existing.status, duplicate: true, number: data.number, syntax: read.syntax, container, profile: read.profile, warnings };
    return refuse('INVOICE_NUMBER_TAKEN', `Le numéro de facture « ${data.number} » est déjà utilisé par une autre facture de votre structure.`, [
      { code: 'INVOICE_NUMBER_TAKEN', field: 'number', message: `Numéro de facture (BT-1) : « ${data.number} » est déjà utilisé par une autre facture de votre structure.` },
    ]);
  }
  const routing = await resolveRouting(ctx.db, data);
  if (!routing.ok) return routing.result;
  // The checks Chorus Pro runs before a deposit (CPRO-01…15), with this recipient's parameters and services.
  const chorus = await chorusIssues(ctx.db, structured, routing.recipient, parisIsoDay(ctx.clock.now()));
  if (chorus.fatal.length)
    return refuse('CHORUS_RULES_FAILED', `Le fichier ne respecte pas les contrôles de Chorus Pro avant dépôt : ${chorus.fatal.length} règle${chorus.fatal.length > 1 ? 's' : ''} en échec.`, chorus.fatal);
  warnings.push(...chorus.warnings);

  const now = ctx.clock.now();
  const depositMode = options.mixed ? 'EDI_MIXTE' : MODE[options.channel ?? 'API'](container);
  const filename = storedFilename(file.filename, container);
  try {
    const created = await ctx.db.transaction().execute(async (trx) => {
      const { id } = await insertInvoice(trx, {
        supplier_structure_id: supplierStructureId, recipient_structure_id: routing.recipientId, service_id: routing.serviceId, ej_number: data.ejNumber,
        framework, document_type: data.documentType, original_invoice_number: data.originalInvoiceNumber, number: data.number,
        invoice_date: data.invoiceDate, due_date: data.dueDate, currency: data.currency, deposit_mode: depositMode,
        total_without_vat: data.totals.totalWithoutVat, total_vat: data.totals.totalVat, total_with_vat: data.totals.totalWithVat,
        prepaid_amount: data.totals.prepaidAmount, amount_due: data.totals.amountDue, comment: null,
        status: 'BROUILLON', status_changed_at: now, created_by: actor.userId, created_at: now, updated_at: now,
      });
      await insertLinesAndTotals(trx, id, data.lines, data.totals);
      const doc = await storeDocument(trx, ctx.blobs, { bytes, filename, mediaType: container === 'FACTURX' ? 'application/pdf' : 'application/xml', structureId: supplierStructureId, uploadedBy: actor.userId });
      await addInvoiceDocument(trx, { invoiceId: id, documentId: doc.id, role: 'PRINCIPALE', status: 'BROUILLON', at: now });
      // A mixed flow: the invoice's PDF, carried inside the XML, kept beside it.
      const image = invoicePdf ? await storeDocument(trx, ctx.blobs, { bytes: invoicePdf.bytes, filename: invoicePdf.filename, mediaType: 'application/pdf', structureId: supplierStructureId, uploadedBy: actor.userId }) : null;
      if (image) await addInvoiceDocument(trx, { invoiceId: id, documentId: image.id, role: 'COMPLEMENTAIRE', status: 'BROUILLON', at: now });
      const locked = options.framework ? [...new Set([...data.locked, 'framework'])] : data.locked;
      await insertStructuredSource(trx, { invoiceId: id, documentId: doc.id, sha256, container, syntax: read.syntax, profile: read.profile, locked, warnings, at: now });
      await appendEvent(trx, id, {
        type: 'CREATION', action: null, fromStatus: null, toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null,
        data: { number: data.number, depositMode, totalWithVat: data.totals.totalWithVat, file: { filename, originalFilename: file.filename.slice(0, 200), sha256, syntax: read.syntax, profile: read.profile }, warnings: warnings.length },
        createdAt: now,
      });
      await appendEvent(trx, id, {
        type: 'PIECE_JOINTE', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null,
        data: { documentId: doc.id, filename, role: 'PRINCIPALE', sha256: doc.sha256, size: doc.size }, createdAt: now,
      });
      if (image && invoicePdf)
        await appendEvent(trx, id, {
          type: 'PIECE_JOINTE', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null,
          data: { documentId: image.id, filename: invoicePdf.filename, role: 'COMPLEMENTAIRE', sha256: image.sha256, size: image.size }, createdAt: now,
        });
      if (options.submit) await sendDraft(trx, ctx, actor.userId, id, { certificate: options.certificate ?? 'now' });
      return { id, status: options.submit ? 'DEPOSEE' : 'BROUILLON' };
    });
    return { ok: true, invoiceId: created.id, status: created.status, duplicate: false, number: data.number, syntax: read.syntax, container, profile: read.profile, warnings };
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVOICE_CHECKS_FAILED')
      return refuse('INVOICE_CHECKS_FAILED', err.userMessage, Object.entries(err.fields ?? {}).map(([field, message]) => ({ code: 'INVOICE_CHECK', field, message })));
    if ((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message)))
      return refuse('INVOICE_NUMBER_TAKEN', `Le numéro de facture « ${data.number} » est déjà utilisé par une autre facture de votre structure.`, [
        { code: 'INVOICE_NUMBER_TAKEN', field: 'number', message: `Numéro de facture (BT-1) : « ${data.number} » est déjà utilisé.` },
      ]);
    throw err;
  }
}

/** The actor must be able to deposit for the supplier structure (« Factures émises » in modification). */
export async function authorizeSupplier(ctx: Ctx, actor: Actor, supplierStructureId: number) {
  const structure = Number.isSafeInteger(supplierStructureId) && supplierStructureId > 0 ? await findStructure(ctx.db, supplierStructureId) : undefined;
  const m = structure ? await loadMembership(ctx.db, actor.userId, supplierStructureId, actor.isTechnical) : null;
  if (!structure || !m || m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (!canOnInvoice(m, 'invoice.supplier.edit', null))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit de déposer des factures pour cette structure (espace « Factures émises » en modification).");
  return structure;
}

/** The recipient (the first of the buyer's SIRETs known here) and its service (BT-10). */
async function resolveRouting(db: Executor, data: StructuredInvoiceData): Promise<{ ok: true; recipient: NonNullable<Awaited<ReturnType<typeof findRecipient>>>; recipientId: number; serviceId: number | null } | { ok: false; result: StructuredDepositResult }> {
  if (!data.recipientSirets.length)
    return { ok: false, result: refuse('RECIPIENT_MISSING', "Le fichier n'indique pas le SIRET du destinataire.", [
      { code: 'RECIPIENT_MISSING', field: 'recipientSiret', message: "Destinataire : le fichier doit porter le SIRET de l'acheteur public (BT-47 ou BT-46, schéma 0009)." },
    ]) };
  let recipient;
  for (const siret of data.recipientSirets) if ((recipient = await findRecipient(db, siret))) break;
  if (!recipient)
    return { ok: false, result: refuse('RECIPIENT_UNKNOWN', `Aucune structure de SIRET ${data.recipientSirets[0]} n'est inscrite sur la plateforme.`, [
      { code: 'RECIPIENT_UNKNOWN', field: 'recipientSiret', message: `Destinataire (BT-47) : aucune structure de SIRET ${data.recipientSirets.join(' ou ')} n'est inscrite sur la plateforme ; vérifiez le SIRET dans l'annuaire.` },
    ]) };
  let serviceId: number | null = null;
  if (data.serviceCode) {
    const service = await findRecipientService(db, recipient.id, data.serviceCode);
    if (!service)
      return { ok: false, result: refuse('SERVICE_UNKNOWN', `Le service « ${data.serviceCode} » n'existe pas chez ${recipient.name}.`, [
        { code: 'SERVICE_UNKNOWN', field: 'serviceCode', message: `Code service (BT-10) : le service « ${data.serviceCode} » n'existe pas chez ${recipient.name}.` },
      ]) };
    serviceId = service.id;
  }
  return { ok: true, recipient, recipientId: recipient.id, serviceId };
}
