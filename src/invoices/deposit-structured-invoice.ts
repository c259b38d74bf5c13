import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import type { InvoicesTable } from '../db/schema.ts';
import { AppError } from '../shared/app-error.ts';
import { enqueue } from '../queue/queue.ts';
import { routeInvoiceJob, routeInvoicesJob } from '../queue/jobs.ts';
import { storeDocuments } from '../storage/stored-files.ts';
import { findEngagement, findStructure, listServicesOf, loadMembership, parisIsoDay } from '../structures/index.ts';
import { chorusIssues } from './structured-chorus-checks.ts';
import { ATTACHMENT_RULES, fileTooLargeMessage, type StructuredDepositMode } from './model.ts';
import { canOnInvoice } from './permissions.ts';
import { appendEvents, contentsOf, findInvoices, insertLinesAndTotalsOf, lockInvoices, type ChainEnds, type InvoiceRow } from './repository.ts';
import type { InvoiceAction } from './lifecycle.ts';
import { findBySupplierNumbers, insertStructuredSources } from './deposits-repository.ts';
import { findRecipient, findRecipientService } from './recipient-requirements.ts';
import { depositOf, needsEngagement, plainRouting, sendingErrors } from './submit-invoice.ts';
import { applyTransitions } from './transition.ts';
import { checksWithoutContract } from './validation-checks.ts';
import { containerOf, fieldsOfIssues, sellerMatches, storedFilename, type Container, type DepositIssue, type StructuredInvoiceData } from './structured-file.ts';
import { readStructuredFile, type ReadStructuredFileOptions, type StructuredFile } from './read-structured-file.ts';
import type { CertificateWhen } from './deposit-certificate.ts';
import { mapped } from '../shared/mapped.ts';

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
  | 'XSD_INVALID' | 'PROFILE_NOT_ACCEPTED' | 'EN16931_INVALID' | 'CHORUS_RULES_FAILED' | 'INVOICE_DATA_INVALID' | 'SUPPLIER_MISMATCH' | 'RECIPIENT_MISSING' | 'RECIPIENT_UNKNOWN'
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
 * The XSD of the file's syntax runs, the data is read from the XML (src/formats), the EN 16931 rules run (src/validation), the file is stored as the
 * main document, and the invoice is created BROUILLON (or sent at once with `submit`). Callable from the web, the
 * API and jobs (flows, batches): content problems come back as `{ ok: false, code, errors }`, never thrown;
 * only an actor without the right on the supplier structure gets an AppError (NOT_FOUND or FORBIDDEN).
 * Retrying with the same file returns the invoice it made (`duplicate: true`). The batch of one file.
 */
export async function depositStructuredInvoice(
  ctx: Ctx,
  actor: Actor,
  supplierStructureId: number,
  file: { bytes: Uint8Array; filename: string },
  options: StructuredDepositOptions = {},
): Promise<StructuredDepositResult> {
  return (await depositStructuredInvoices(ctx, actor, supplierStructureId, [file], options))[0]!;
}

type Accepted = {
  k: number;
  file: { bytes: Uint8Array; filename: string };
  container: Container;
  structured: StructuredFile;
  sha256: string;
  columns: Insertable<InvoicesTable>;
  id?: number;
  /** Once written: DEPOSEE, or where its routing took it in the same transaction (a flow's invoice); none for a draft. */
  status?: string;
};

/**
 * The pure part of depositing several files (no database, no clock): each file's size and kind, its XSD, its XML
 * read into the EN 16931 model, the EN 16931 rules, its data and SHA-256; or its refusal. A flow reads a chunk with
 * this before claiming it, then deposits it (depositReadInvoices).
 */
export interface ReadFiles {
  files: Array<{ bytes: Uint8Array; filename: string }>;
  refused: Map<number, StructuredDepositResult>;
  read: Array<Omit<Accepted, 'columns'>>;
}
export async function readStructuredFiles(files: Array<{ bytes: Uint8Array; filename: string }>, options: ReadStructuredFileOptions = {}): Promise<ReadFiles> {
  const refused = new Map<number, StructuredDepositResult>();
  const read: ReadFiles['read'] = [];
  for (let k = 0; k < files.length; k++) {
    const file = files[k]!;
    const { bytes } = file;
    if (!bytes.byteLength) {
      refused.set(k, refuse('FILE_EMPTY', `Le fichier « ${file.filename} » est vide.`));
      continue;
    }
    if (bytes.byteLength > ATTACHMENT_RULES.maxFileBytes) {
      refused.set(k, refuse('FILE_TOO_LARGE', fileTooLargeMessage(file.filename)));
      continue;
    }
    const container = containerOf(bytes);
    if (!container) {
      refused.set(k, refuse('FILE_TYPE_UNSUPPORTED', `Le fichier « ${file.filename} » n'est ni un PDF Factur-X ni un fichier XML (UBL ou CII).`));
      continue;
    }
    // The pure part: the XSD, the XML read into the EN 16931 model, the EN 16931 rules, the invoice's data.
    const structured = await readStructuredFile(bytes, container, options);
    if (!structured.ok) refused.set(k, refuse(structured.code, structured.message, structured.errors));
    else read.push({ k, file, container, structured, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return { files, refused, read };
}

/**
 * Deposits several structured files of one supplier (a chunk of a flow or of a batch), each as
 * depositStructuredInvoice does — same reading, rules, refusals and French messages per file, in the files' order —
 * with the look-ups made once (the supplier's right, the numbers already taken, each recipient, service and
 * commitment) and the accepted files written in ONE transaction: multi-row inserts, the chained events computed
 * in memory, the DEPOSER transition of all of them together (applyTransitions) and one routing job. When another
 * deposit takes one of the numbers meanwhile (unique index), each file is deposited alone, so that only that one
 * is refused.
 */
export async function depositStructuredInvoices(
  ctx: Ctx,
  actor: Actor,
  supplierStructureId: number,
  files: Array<{ bytes: Uint8Array; filename: string }>,
  options: StructuredDepositOptions = {},
): Promise<StructuredDepositResult[]> {
  return depositReadInvoices(ctx, actor, supplierStructureId, await readStructuredFiles(files, { mixed: options.mixed, xsd: ctx.xsd }), options);
}

/** depositStructuredInvoices on files already read (readStructuredFiles): the look-ups, the checks, the writing. */
export async function depositReadInvoices(ctx: Ctx, actor: Actor, supplierStructureId: number, files: ReadFiles, options: StructuredDepositOptions = {}): Promise<StructuredDepositResult[]> {
  const supplier = await authorizeSupplier(ctx, actor, supplierStructureId);
  const today = parisIsoDay(ctx.clock.now());
  const results: StructuredDepositResult[] = new Array(files.files.length);
  for (const [k, r] of files.refused) results[k] = r;
  const read: ReadFiles['read'] = [];
  for (const f of files.read) {
    const { read: r, data } = f.structured;
    if (!sellerMatches(data, supplier.identifier)) {
      results[f.k] = refuse('SUPPLIER_MISMATCH', `Le vendeur du fichier (${r.invoice.seller.name}${data.sellerIds.length ? `, ${data.sellerIds.join(', ')}` : ''}) n'est pas votre structure ${supplier.name} (${supplier.identifier}).`, [
        { code: 'SUPPLIER_MISMATCH', field: 'supplier', message: `Vendeur (BT-29, BT-30) : le fichier doit désigner ${supplier.name} par son SIRET ${supplier.identifier}.` },
      ]);
      continue;
    }
    read.push(f);
  }

  // A retried deposit of the same file returns the invoice it made; another file with the same number is refused.
  const existing = await findBySupplierNumbers(ctx.db, supplierStructureId, mapped(read, (f) => f.structured.data.number));
  const look = lookups(ctx.db);
  const numbers = new Map<string, Accepted>();
  const accepted: Accepted[] = [];
  const copies: Array<Omit<Accepted, 'columns'> & { of: Accepted }> = [];
  const now = ctx.clock.now();
  for (const f of read) {
    const { data, read: r, warnings } = f.structured;
    const prior = existing.get(data.number);
    if (prior && prior.sha256 === f.sha256) {
      results[f.k] = { ok: true, invoiceId: prior.id, status: prior.status, duplicate: true, number: data.number, syntax: r.syntax, container: f.container, profile: r.profile, warnings };
      continue;
    }
    const earlier = numbers.get(data.number);
    if (earlier && earlier.sha256 === f.sha256) {
      // The same file twice in the batch: the second answers the invoice the first makes.
      copies.push({ ...f, of: earlier });
      continue;
    }
    if (prior || earlier) {
      results[f.k] = numberTaken(data.number, 'par une autre facture de votre structure.');
      continue;
    }
    const routing = await resolveRouting(look, data);
    if (!routing.ok) {
      results[f.k] = routing.result;
      continue;
    }
    // The checks Chorus Pro runs before a deposit (CPRO-01…15), with this recipient's parameters and services.
    const chorus = await chorusIssues(ctx.db, f.structured, routing.recipient, today, await look.services(routing.recipientId));
    if (chorus.fatal.length) {
      results[f.k] = refuse('CHORUS_RULES_FAILED', `Le fichier ne respecte pas les contrôles de Chorus Pro avant dépôt : ${chorus.fatal.length} règle${chorus.fatal.length > 1 ? 's' : ''} en échec.`, chorus.fatal);
      continue;
    }
    warnings.push(...chorus.warnings);
    const columns: Insertable<InvoicesTable> = {
      supplier_structure_id: supplierStructureId, recipient_structure_id: routing.recipientId, service_id: routing.service?.id ?? null, ej_number: data.ejNumber,
      framework: options.framework ?? data.framework ?? 'A1_FACTURE_FOURNISSEUR', document_type: data.documentType, original_invoice_number: data.originalInvoiceNumber, number: data.number,
      invoice_date: data.invoiceDate, due_date: data.dueDate, currency: data.currency, deposit_mode: options.mixed ? 'EDI_MIXTE' : MODE[options.channel ?? 'API'](f.container),
      total_without_vat: data.totals.totalWithoutVat, total_vat: data.totals.totalVat, total_with_vat: data.totals.totalWithVat,
      prepaid_amount: data.totals.prepaidAmount, amount_due: data.totals.amountDue, comment: null,
      status: 'BROUILLON', status_changed_at: now, created_by: actor.userId, created_at: now, updated_at: now,
    };
    if (options.submit) {
      // The checks before sending, on what was just read (the same rules as « Valider et envoyer »).
      const inv = { ...columns, id: 0, service_id: columns.service_id ?? null, ej_number: columns.ej_number ?? null, due_date: columns.due_date ?? null, original_invoice_number: columns.original_invoice_number ?? null } as Parameters<typeof sendingErrors>[0];
      const errors = sendingErrors(inv, today, {
        recipient: routing.recipient,
        service: routing.service,
        engagement: needsEngagement(inv, routing.recipient, routing.service) ? await look.engagement(routing.recipientId, inv.ej_number!) : undefined,
        numberTaken: false,
        circuit: checksWithoutContract(inv),
        contents: { lines: [], breakdown: [], documents: [{ role: 'PRINCIPALE' }] },
      });
      if (Object.keys(errors).length) {
        results[f.k] = refuse('INVOICE_CHECKS_FAILED', `La facture ne peut pas être envoyée : ${Object.keys(errors).length} contrôle(s) en échec.`, Object.entries(errors).map(([field, message]) => ({ code: 'INVOICE_CHECK', field, message })));
        continue;
      }
    }
    const a = { ...f, columns };
    numbers.set(data.number, a);
    accepted.push(a);
  }
  if (!accepted.length) return results;

  try {
    await ctx.db.transaction().execute((trx) => writeDeposits(trx, ctx, actor, supplierStructureId, accepted, options));
  } catch (err) {
    if (!((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message)))) throw err;
    if (accepted.length === 1) {
      results[accepted[0]!.k] = numberTaken(accepted[0]!.structured.data.number, '');
      return results;
    }
    for (const a of [...accepted, ...copies].sort((x, y) => x.k - y.k)) results[a.k] = (await depositStructuredInvoices(ctx, actor, supplierStructureId, [a.file], options))[0]!;
    return results;
  }
  for (const a of [...accepted, ...copies]) {
    const { read: r, data, warnings } = a.structured;
    const id = 'of' in a ? a.of.id! : a.id!;
    results[a.k] = { ok: true, invoiceId: id, status: ('of' in a ? a.of : a).status ?? 'BROUILLON', duplicate: 'of' in a, number: data.number, syntax: r.syntax, container: a.container, profile: r.profile, warnings };
  }
  return results;
}

const numberTaken = (number: string, by: string) =>
  refuse('INVOICE_NUMBER_TAKEN', `Le numéro de facture « ${number} » est déjà utilisé par une autre facture de votre structure.`, [
    { code: 'INVOICE_NUMBER_TAKEN', field: 'number', message: `Numéro de facture (BT-1) : « ${number} » est déjà utilisé${by ? ` ${by}` : '.'}` },
  ]);

/** The accepted files of a batch, in the caller's transaction: invoices, lines, files, sources, events, then DEPOSER and the routing. */
async function writeDeposits(trx: Executor, ctx: Ctx, actor: Actor, supplierStructureId: number, accepted: Accepted[], options: StructuredDepositOptions) {
  const now = ctx.clock.now();
  // Sent with a deferred certificate (a flow): the rows are inserted as DEPOSER leaves them (DEPOSEE, deposited now),
  // rather than inserted as drafts then updated (each write of an invoice row costs its many indexes); the events,
  // checks and effects are those of the drafts moved by DEPOSER, below.
  const sentAtOnce = !!options.submit && options.certificate === 'deferred';
  // Such an invoice whose routing only moves the status (plainRouting: A1) is routed here too, and inserted as the
  // routing leaves it: no routing job, no second write of its row.
  const routing = mapped(accepted, (a) => (sentAtOnce ? plainRouting(a.columns.framework as string) : null));
  const sent = (k: number) => ({ status: routing[k]?.to ?? 'DEPOSEE', status_changed_at: now, updated_at: now, deposited_at: now });
  const rows = await insertRows<'invoices', { id: number; number: string }>(trx, 'invoices', mapped(accepted, (a, k) => (sentAtOnce ? { ...a.columns, ...sent(k) } : a.columns)), 'returning "id", "number"');
  const idOf = new Map(mapped(rows, (r) => [r.number, r.id]));
  for (const a of accepted) a.id = idOf.get(a.structured.data.number)!;
  const ids = mapped(accepted, (a) => a.id!);
  await insertLinesAndTotalsOf(trx, mapped(accepted, (a) => ({ id: a.id!, lines: a.structured.data.lines, totals: a.structured.data.totals })));
  // The file as the main document; a mixed flow's PDF, carried inside the XML, kept beside it.
  const files = mapped(accepted, (a) => ({
    main: { bytes: a.file.bytes, sha256: a.sha256, filename: storedFilename(a.file.filename, a.container), mediaType: a.container === 'FACTURX' ? 'application/pdf' : 'application/xml' },
    image: a.structured.invoicePdf ? { bytes: a.structured.invoicePdf.bytes, filename: a.structured.invoicePdf.filename, mediaType: 'application/pdf' } : null,
  }));
  const docs = await storeDocuments(trx, ctx.blobs, mapped(files.flatMap((f) => (f.image ? [f.main, f.image] : [f.main])), (f) => ({ ...f, structureId: supplierStructureId, uploadedBy: actor.userId })));
  let d = 0;
  const stored = mapped(files, (f) => ({ main: docs[d++]!, image: f.image ? docs[d++]! : null }));
  await insertRows(trx, 'invoice_documents', accepted.flatMap((a, i) => [
    { invoice_id: a.id!, document_id: stored[i]!.main.id, role: 'PRINCIPALE' as const, added_in_status: 'BROUILLON', added_at: now },
    ...(stored[i]!.image ? [{ invoice_id: a.id!, document_id: stored[i]!.image!.id, role: 'COMPLEMENTAIRE' as const, added_in_status: 'BROUILLON', added_at: now }] : []),
  ]));
  await insertStructuredSources(trx, mapped(accepted, (a, i) => ({
    invoiceId: a.id!, documentId: stored[i]!.main.id, sha256: a.sha256, container: a.container, syntax: a.structured.read.syntax, profile: a.structured.read.profile,
    locked: options.framework ? [...new Set([...a.structured.data.locked, 'framework'])] : a.structured.data.locked, warnings: a.structured.warnings, at: now,
  })));
  const by = { actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null, createdAt: now } as const;
  const chain: ChainEnds = new Map();
  await appendEvents(trx, accepted.flatMap((a, i) => {
    const { data, read: r, warnings } = a.structured;
    const { main, image } = stored[i]!;
    const filename = files[i]!.main.filename;
    return [
      { invoiceId: a.id!, event: { ...by, type: 'CREATION', action: null, fromStatus: null, toStatus: 'BROUILLON', data: { number: data.number, depositMode: a.columns.deposit_mode, totalWithVat: data.totals.totalWithVat, file: { filename, originalFilename: a.file.filename.slice(0, 200), sha256: a.sha256, syntax: r.syntax, profile: r.profile }, warnings: warnings.length } } },
      { invoiceId: a.id!, event: { ...by, type: 'PIECE_JOINTE', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', data: { documentId: main.id, filename, role: 'PRINCIPALE', sha256: main.sha256, size: main.size } } },
      ...(image ? [{ invoiceId: a.id!, event: { ...by, type: 'PIECE_JOINTE', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', data: { documentId: image.id, filename: files[i]!.image!.filename, role: 'COMPLEMENTAIRE', sha256: image.sha256, size: image.size } } }] : []),
    ];
  }), new Set(ids), chain);
  if (!options.submit) return;
  // « Valider et envoyer » for all of them (checked before writing): DEPOSER, the certificate, one routing job.
  const [invoices, contents] = await Promise.all([
    // Inserted as sent: read back as the drafts DEPOSER moves (their data's fingerprint is a draft's).
    sentAtOnce ? findInvoices(trx, ids).then((rows) => mapped(rows, (inv) => ({ ...inv, ...asDraft(accepted[0]!.columns) }))) : lockInvoices(trx, ids),
    contentsOf(trx, ids),
  ]);
  const items = [];
  for (const inv of invoices) items.push({ invoice: inv, ...(await depositOf(trx, ctx, inv, contents.get(inv.id)!, actor.userId, options.certificate ?? 'now', now)).transition });
  const deposited = await applyTransitions(trx, ctx, items, { action: 'DEPOSER', role: 'FOURNISSEUR', actorUserId: actor.userId }, sentAtOnce ? { chain, writeStatus: false, at: now } : { chain });
  const routedHere = await routeAsInserted(trx, ctx, deposited, new Map(mapped(accepted, (a, k) => [a.id!, routing[k] ?? null])), chain, now);
  const unrouted = ids.filter((id) => !routedHere.has(id));
  if (unrouted.length === 1) await enqueue(trx, routeInvoiceJob, { invoiceId: unrouted[0]! });
  else if (unrouted.length) await enqueue(trx, routeInvoicesJob, { invoiceIds: unrouted });
  for (const a of accepted) a.status = routedHere.get(a.id!) ?? 'DEPOSEE';
}

/**
 * The routing steps of the invoices inserted as their plain routing leaves them (`plans`, by invoice id; null: left
 * to the routing job), taken as routeInvoices takes them — the invoices taking the same steps moved together, their
 * events chained, the recipient notified, the payment clock started — without writing the rows again. Returns the
 * status each invoice routed here ends at, which its row already has.
 */
async function routeAsInserted(trx: Executor, ctx: Ctx, deposited: InvoiceRow[], plans: Map<number, ReturnType<typeof plainRouting>>, chain: ChainEnds, at: Date) {
  const groups = new Map<string, { actions: InvoiceAction[]; to: string; invoices: InvoiceRow[] }>();
  for (const inv of deposited) {
    const plan = plans.get(inv.id);
    if (!plan) continue;
    const key = plan.actions.join('/');
    (groups.get(key) ?? groups.set(key, { ...plan, invoices: [] }).get(key)!).invoices.push(inv);
  }
  const routed = new Map<number, string>();
  for (let { actions, to, invoices } of groups.values()) {
    for (const action of actions) invoices = await applyTransitions(trx, ctx, mapped(invoices, (invoice) => ({ invoice })), { action, role: 'SYSTEME', actorUserId: null }, { chain, writeStatus: false, at });
    for (const inv of invoices) {
      if (inv.status !== to) throw new Error(`routing of invoice ${inv.id} ended at ${inv.status}, its row says ${to}`);
      routed.set(inv.id, inv.status);
    }
  }
  return routed;
}

/** The columns of a draft that DEPOSER changes, as the draft had them (the batch's drafts share their instant). */
const asDraft = (columns: Insertable<InvoicesTable>) => ({
  status: 'BROUILLON', status_changed_at: columns.status_changed_at as Date, updated_at: columns.updated_at as Date, deposited_at: null,
});

/** The actor must be able to deposit for the supplier structure (« Factures émises » in modification). */
export async function authorizeSupplier(ctx: Ctx, actor: Actor, supplierStructureId: number) {
  const structure = Number.isSafeInteger(supplierStructureId) && supplierStructureId > 0 ? await findStructure(ctx.db, supplierStructureId) : undefined;
  const m = structure ? await loadMembership(ctx.db, actor.userId, supplierStructureId, actor.isTechnical) : null;
  if (!structure || !m || m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (!canOnInvoice(m, 'invoice.supplier.edit', null))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit de déposer des factures pour cette structure (espace « Factures émises » en modification).");
  return structure;
}

/** The directory look-ups of a batch, each made once. */
function lookups(db: Executor) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T,>(key: string, load: () => Promise<T>) => (memo.get(key) ?? memo.set(key, load()).get(key)!) as Promise<T>;
  return {
    recipient: (siret: string) => once(`r/${siret}`, () => findRecipient(db, siret)),
    service: (recipientId: number, code: string) => once(`s/${recipientId}/${code}`, () => findRecipientService(db, recipientId, code)),
    services: (recipientId: number) => once(`l/${recipientId}`, () => listServicesOf(db, recipientId)),
    engagement: (recipientId: number, number: string) => once(`e/${recipientId}/${number}`, () => findEngagement(db, recipientId, number)),
  };
}

/** The recipient (the first of the buyer's SIRETs known here) and its service (BT-10). */
async function resolveRouting(look: ReturnType<typeof lookups>, data: StructuredInvoiceData): Promise<
  | { ok: true; recipient: NonNullable<Awaited<ReturnType<typeof findRecipient>>>; recipientId: number; service: Awaited<ReturnType<typeof findRecipientService>> }
  | { ok: false; result: StructuredDepositResult }
> {
  if (!data.recipientSirets.length)
    return { ok: false, result: refuse('RECIPIENT_MISSING', "Le fichier n'indique pas le SIRET du destinataire.", [
      { code: 'RECIPIENT_MISSING', field: 'recipientSiret', message: "Destinataire : le fichier doit porter le SIRET de l'acheteur public (BT-47 ou BT-46, schéma 0009)." },
    ]) };
  let recipient;
  for (const siret of data.recipientSirets) if ((recipient = await look.recipient(siret))) break;
  if (!recipient)
    return { ok: false, result: refuse('RECIPIENT_UNKNOWN', `Aucune structure de SIRET ${data.recipientSirets[0]} n'est inscrite sur la plateforme.`, [
      { code: 'RECIPIENT_UNKNOWN', field: 'recipientSiret', message: `Destinataire (BT-47) : aucune structure de SIRET ${data.recipientSirets.join(' ou ')} n'est inscrite sur la plateforme ; vérifiez le SIRET dans l'annuaire.` },
    ]) };
  let service;
  if (data.serviceCode) {
    service = await look.service(recipient.id, data.serviceCode);
    if (!service)
      return { ok: false, result: refuse('SERVICE_UNKNOWN', `Le service « ${data.serviceCode} » n'existe pas chez ${recipient.name}.`, [
        { code: 'SERVICE_UNKNOWN', field: 'serviceCode', message: `Code service (BT-10) : le service « ${data.serviceCode} » n'existe pas chez ${recipient.name}.` },
      ]) };
  }
  return { ok: true, recipient, recipientId: recipient.id, service };
}
