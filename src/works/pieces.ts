import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { formatAmountFr } from '../shared/money.ts';
import { notify } from '../notifications/index.ts';
import {
  VALIDATED_WORKS_FRAMEWORKS, WORKS_FRAMEWORKS, WORKS_FRAMEWORK_INFO, WORKS_REASONS, addInvoiceDocument, applyTransition, invoiceFacts, saveValidation, circuitOf, insertInvoice, lockInvoice, nextStatus, statusLabel, usersWithSpace,
  type ActorRole, type InvoiceAction, type InvoiceRow, type WorksFramework,
} from '../invoices/index.ts';
import { compareStatements, computeStatement, type MonthEntry, type Statement, type WorksTerms } from './decompte.ts';
import { contractDeadlines, deadlineState } from './deadlines.ts';
import { PARTY_ABSENT, retainedHistory, type PieceDifferences, type PieceFacts } from './pieces-model.ts';
import { countPieces, findPiece, findWorksContract, listPieces, structureNames, type PieceRow, type WorksContractRow } from './repository.ts';
import { renderPiecePdf } from './piece-pdf.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { WORKS_SPACE, forbidden, loadWorksAccess, type WorksAccess } from './access.ts';

/** A French decimal (« 12,5 », spaces as thousands separators) is read as the engine's decimal (« 12.5 »). */
const decimalText = z.union([z.string(), z.number()]).transform((v) => String(v).trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
const progressInput = z.record(z.string().max(20), decimalText).refine((r) => Object.keys(r).length <= 500, 'Trop de lignes.');
const penaltiesInput = z.array(z.object({ label: z.string().trim().min(1, 'Le libellé de la pénalité est obligatoire.').max(200), amount: decimalText })).max(50);

export const pieceInput = z.object({
  framework: z.string({ message: 'Le cadre de facturation est obligatoire.' }).transform((v) => WORKS_FRAMEWORKS.find((f) => f === v || WORKS_FRAMEWORK_INFO[f].code === v.toUpperCase()) ?? v)
    .pipe(z.enum(WORKS_FRAMEWORKS, { message: 'Cadre de facturation de travaux inconnu (A4 à A25).' })),
  /** The piece this one follows (« déposer la pièce suivante »). */
  previousInvoiceId: z.coerce.number().int().positive().nullable().optional().transform((v) => v ?? null),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Le mois doit s’écrire AAAA-MM.').nullable().optional().transform((v) => v ?? null),
  /** Cumulative progress per price line; absent = the previous piece's (accepted as is). */
  progress: progressInput.nullable().optional().transform((v) => v ?? null),
  penalties: penaltiesInput.nullable().optional().transform((v) => v ?? null),
  /** The company depositing for a subcontractor or co-contractor chain (its structure). */
  supplierStructureId: z.coerce.number().int().positive().nullable().optional().transform((v) => v ?? null),
  comment: z.string().trim().max(2000, 'Le commentaire ne doit pas dépasser 2000 caractères.').nullable().optional().transform((v) => v || null),
});
export type PieceInput = z.input<typeof pieceInput>;

const facts = (p: PieceRow): PieceFacts => ({
  invoiceId: p.invoice_id, month: p.month, phase: p.phase, pieceType: WORKS_FRAMEWORK_INFO[p.framework as WorksFramework]?.pieceType ?? '', status: p.status,
  supplierStructureId: p.supplier_structure_id, progress: p.progress, penalties: p.penalties, statement: p.statement,
});

/** The parties' roles for a company piece: titulaire (or mandataire), subcontractor with direct payment, co-contractor. */
const PARTY_ROLES: Record<string, string[]> = { TITULAIRE: ['TITULAIRE', 'MANDATAIRE'], SOUS_TRAITANT: ['SOUS_TRAITANT'], COTRAITANT: ['COTRAITANT'] };

/** Which company's chain a piece belongs to, and whether the actor may deposit it in that role. */
function resolveSupplier(access: WorksAccess, framework: WorksFramework, previous: PieceRow | null, requested: number | null): number {
  const info = WORKS_FRAMEWORK_INFO[framework];
  if (previous) {
    if (requested && requested !== previous.supplier_structure_id) throw invalid({ supplierStructureId: "La pièce suivante concerne la même entreprise que la pièce précédente." });
    return previous.supplier_structure_id;
  }
  const roles = PARTY_ROLES[info.party ?? 'TITULAIRE'];
  const candidates = access.parties.filter((p) => roles.includes(p.role) && (info.party !== 'SOUS_TRAITANT' || p.directPayment));
  const pick = requested ? candidates.find((p) => p.structureId === requested) : info.depositor === 'FOURNISSEUR' ? candidates.find((p) => access.company.acts.includes(p.structureId)) ?? candidates[0] : candidates[0];
  if (!pick)
    throw invalid({ supplierStructureId: info.party === 'SOUS_TRAITANT' ? "Aucun sous-traitant en paiement direct de ce marché ne correspond." : info.party === 'COTRAITANT' ? 'Aucun cotraitant de ce marché ne correspond.' : "Le titulaire du marché est introuvable." });
  return pick.structureId;
}
const invalid = (fields: Record<string, string>, message = 'Certains champs sont invalides.') => new AppError('VALIDATION', 'INVALID_INPUT', message, fields);

/** The actor may deposit this framework: as the company (its structure), the MOE or the MOA of the contract. */
function requireDepositor(access: WorksAccess, framework: WorksFramework, supplierId: number) {
  const d = WORKS_FRAMEWORK_INFO[framework].depositor;
  if (d === 'FOURNISSEUR' && !access.company.acts.includes(supplierId)) throw forbidden("Seule l'entreprise concernée (espace « Factures de travaux », droit de modification) dépose cette pièce.");
  if (d === 'MOE' && !access.moe.acts) throw forbidden("Seul le maître d'œuvre du marché dépose cette pièce.");
  if (d === 'MOA' && !access.moa.acts) throw forbidden("Seul le maître de l'ouvrage du marché dépose cette pièce.");
}

/**
 * The previous piece may be followed by this framework: same contract, an allowed previous framework, still
 * open; standing in for an absent party only when that party is absent; the tacit procedure only after its
 * deadline. French refusals.
 */
function checkPrevious(works: WorksContractRow, framework: WorksFramework, previous: PieceRow | null, pieces: PieceRow[], now: Date) {
  const info = WORKS_FRAMEWORK_INFO[framework];
  if (!previous) {
    if (!info.initialDeposit) throw invalid({ previousInvoiceId: `Une pièce ${info.code} suit toujours une pièce précédente (${info.previous.map((p) => WORKS_FRAMEWORK_INFO[p].code).join(', ')}).` });
    return;
  }
  if (previous.contract_id !== works.contract_id) throw invalid({ previousInvoiceId: "La pièce précédente n'appartient pas à ce marché." });
  const prevInfo = WORKS_FRAMEWORK_INFO[previous.framework as WorksFramework];
  if (!prevInfo || !info.previous.includes(previous.framework as WorksFramework))
    throw invalid({ previousInvoiceId: `Une pièce ${info.code} ne peut pas suivre une pièce ${prevInfo?.code ?? previous.framework}.` });
  const action: InvoiceAction = framework === 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE' ? 'REMPLACER_PAR_A22' : 'ASSOCIER';
  if (!nextStatus({ status: previous.status, framework: previous.framework }, action, 'SYSTEME').ok)
    throw new AppError('CONFLICT', 'PREVIOUS_PIECE_CLOSED', `La pièce précédente ${previous.number} est au statut « ${statusLabel(previous.status)} » : elle ne peut plus être suivie.`);
  const { deadlines } = contractDeadlines(works.deadlines);
  const late = (start: Date | null, days: number, what: string) => {
    const st = deadlineState(start ?? previous.deposited_at ?? now, days, now);
    if (!st.late) throw new AppError('CONFLICT', 'DEADLINE_NOT_EXPIRED', `${what} court jusqu'au ${st.dueDay.split('-').reverse().join('/')} : la procédure ne peut pas encore être engagée.`);
  };
  if (info.tacit) {
    if (framework === 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE') {
      const root = rootOf(previous, pieces);
      late(root.moe_received_at ?? root.deposited_at, deadlines.MOA_DECOMPTE_GENERAL, 'Le délai de notification du décompte général');
    } else if (framework === 'A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE') late(previous.deposited_at, deadlines.TITULAIRE_SIGNATURE_DG, 'Le délai de signature du décompte général par le titulaire');
    else late(previous.deposited_at, deadlines.MOA_DG_APRES_PROCEDURE_TACITE, "Le délai de réponse du maître de l'ouvrage au projet de décompte général");
    return;
  }
  if (prevInfo.destination !== info.depositor && !PARTY_ABSENT.includes(previous.status))
    throw new AppError('CONFLICT', 'PARTY_NOT_ABSENT', `La pièce ${previous.number} est entre les mains de son destinataire (${statusLabel(previous.status)}) : vous ne pouvez la suivre qu'en cas d'absence de celui-ci.`);
}
const rootOf = (p: PieceRow, pieces: PieceRow[]): PieceRow => {
  let cur = p;
  for (let i = 0; i < 20 && cur.previous_invoice_id; i++) {
    const prev = pieces.find((x) => x.invoice_id === cur.previous_invoice_id);
    if (!prev) break;
    cur = prev;
  }
  return cur;
};

/** The statement of a piece: the retained history of the company's chain + this month (or the final entry). */
function statementFor(works: WorksContractRow, pieces: PieceRow[], supplierId: number, entry: MonthEntry, final: boolean, excludeId?: number) {
  const hist = retainedHistory(pieces.filter((p) => p.invoice_id !== excludeId).map(facts), supplierId, entry.month);
  const r = computeStatement({ terms: works.terms as unknown as WorksTerms, months: [...hist.months, entry], indexes: works.indexes, previous: hist.previous, final });
  if (!r.ok) throw invalid(r.errors, 'Le décompte ne peut pas être calculé.');
  return r.statement;
}

function entryOf(framework: WorksFramework, input: z.infer<typeof pieceInput>, previous: PieceRow | null): { entry: MonthEntry; final: boolean } {
  const info = WORKS_FRAMEWORK_INFO[framework];
  const month = input.month ?? previous?.month ?? (previous?.statement?.month || null);
  if (!month) throw invalid({ month: 'Le mois du décompte est obligatoire.' });
  const progress = input.progress ?? previous?.progress;
  if (!progress) throw invalid({ progress: "Indiquez l'avancement cumulé de chaque prix." });
  return { entry: { month, progress, penalties: input.penalties ?? previous?.penalties ?? [] }, final: info.phase === 'FIN' };
}

/** The contract as the depositor of a piece sees it: its pieces, the previous piece named, the company; refused otherwise. */
async function depositorOnContract(ctx: Ctx, actor: Actor, contractId: number, input: { framework: WorksFramework; previousInvoiceId?: number | null; supplierStructureId?: number | null }) {
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const pieces = await listPieces(ctx.db, contractId);
  const previous = input.previousInvoiceId ? pieces.find((p) => p.invoice_id === input.previousInvoiceId) ?? null : null;
  if (input.previousInvoiceId && !previous) throw invalid({ previousInvoiceId: 'Pièce précédente introuvable dans ce marché.' });
  const supplierId = resolveSupplier(access, input.framework, previous, input.supplierStructureId ?? null);
  requireDepositor(access, input.framework, supplierId);
  return { access, pieces, previous, supplierId };
}

/** Computes the statement a piece would carry, without depositing (the projet shown while entering progress). */
export async function previewPiece(ctx: Ctx, actor: Actor, contractId: number, raw: PieceInput) {
  const input = parseInput(pieceInput, raw);
  const { access, pieces, previous, supplierId } = await depositorOnContract(ctx, actor, contractId, input);
  const { entry, final } = entryOf(input.framework, input, previous);
  const statement = statementFor(access.works, pieces, supplierId, entry, final);
  const differences = previous?.statement ? compareStatements(previous.statement, statement) : null;
  return { statement, differences };
}

/**
 * Deposits a works piece: computes its statement (the MOE's corrections become line-by-line differences
 * against the previous piece), creates the payment request, deposits it through the lifecycle table, routes
 * it to its destination (the MOE's receipt starts the payment delay), and associates (or replaces) the
 * previous piece. One transaction.
 */
export async function depositPiece(ctx: Ctx, actor: Actor, contractId: number, raw: PieceInput) {
  const input = parseInput(pieceInput, raw);
  const framework = input.framework;
  const info = WORKS_FRAMEWORK_INFO[framework];
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const works = access.works;
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const previousInv = input.previousInvoiceId ? await lockInvoice(trx, input.previousInvoiceId) : null;
    const pieces = await listPieces(trx, contractId);
    const previous = input.previousInvoiceId ? pieces.find((p) => p.invoice_id === input.previousInvoiceId) ?? null : null;
    if (input.previousInvoiceId && (!previous || !previousInv)) throw invalid({ previousInvoiceId: 'Pièce précédente introuvable dans ce marché.' });
    const supplierId = resolveSupplier(access, framework, previous, input.supplierStructureId);
    requireDepositor(access, framework, supplierId);
    checkPrevious(works, framework, previous, pieces, now);
    const { entry, final } = entryOf(framework, input, previous);
    if (info.phase === 'MENSUEL' && !previous && pieces.some((p) => p.phase === 'MENSUEL' && p.month === entry.month && p.supplier_structure_id === supplierId && WORKS_FRAMEWORK_INFO[p.framework as WorksFramework]?.pieceType === info.pieceType && !['SUPPRIMEE', 'REFUSEE_1', 'REFUSEE_2', 'REFUSEE_MOE', 'REFUSEE_MOA', 'DUPLIQUE_APRES_REFUS'].includes(p.status)))
      throw new AppError('CONFLICT', 'PIECE_ALREADY_DEPOSITED', `Une pièce de ce type est déjà déposée pour ${entry.month}.`);
    const statement = statementFor(works, pieces, supplierId, entry, final);
    const differences: PieceDifferences | null = previous?.statement ? { againstInvoiceId: previous.invoice_id, ...compareStatements(previous.statement, statement) } : null;
    const seq = (await countPieces(trx, contractId)) + 1;
    const number = `${info.code}-${contractId}-${seq}`;
    const t = statement.thisMonth;
    const depositorStructureId = info.depositor === 'FOURNISSEUR' ? supplierId : info.depositor === 'MOE' ? works.moe_structure_id! : works.moa_structure_id;
    const { id } = await insertInvoice(trx, {
      supplier_structure_id: supplierId, recipient_structure_id: works.payer_structure_id, service_id: works.payer_service_id, ej_number: works.ej_number,
      framework, document_type: 'FACTURE', number, invoice_date: parisDay(now), currency: 'EUR', deposit_mode: 'SAISIE_WEB',
      total_without_vat: t.totalWithoutVat, total_vat: t.vat, total_with_vat: t.totalWithVat, prepaid_amount: subtract(t.totalWithVat, t.amountDue), amount_due: t.amountDue,
      comment: input.comment, created_by: actor.userId, created_at: now, updated_at: now, status_changed_at: now,
    });
    await trx.insertInto('invoice_vat_breakdown').values({ invoice_id: id, vat_rate: (works.terms as unknown as WorksTerms).vatRate, taxable_amount: t.totalWithoutVat, vat_amount: t.vat }).execute();
    await trx.insertInto('works_pieces').values({
      invoice_id: id, contract_id: contractId, month: info.phase === 'MENSUEL' ? entry.month : null, phase: info.phase, depositor_role: info.depositor, depositor_structure_id: depositorStructureId,
      previous_invoice_id: previous?.invoice_id ?? null, progress: JSON.stringify(entry.progress), penalties: JSON.stringify(entry.penalties ?? []),
      statement: JSON.stringify(statement), differences: differences ? JSON.stringify(differences) : null, created_at: now,
    }).execute();
    await storePiecePdf(trx, ctx, { invoiceId: id, number, framework, works, supplierId, depositorStructureId, statement, differences, comment: input.comment, at: now, userId: actor.userId });
    // A subcontractor's projet is first validated by the titulaire (the A9 circuit; validators designated by the contract).
    if (VALIDATED_WORKS_FRAMEWORKS.includes(framework))
      await saveValidation(trx, id, { contractId, validatorStructureId: access.parties.find((p) => p.role === 'TITULAIRE' || p.role === 'MANDATAIRE')?.structureId ?? null });
    let inv = (await lockInvoice(trx, id))!;
    inv = await applyTransition(trx, ctx, inv, { action: 'DEPOSER', role: info.depositor, actorUserId: actor.userId, data: { month: entry.month, previousInvoiceId: previous?.invoice_id ?? null, amountDue: t.amountDue }, set: { deposited_at: now } });
    inv = await route(trx, ctx, works, inv);
    if (previous && previousInv) {
      const action: InvoiceAction = framework === 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE' ? 'REMPLACER_PAR_A22' : 'ASSOCIER';
      await applyTransition(trx, ctx, previousInv, { action, role: 'SYSTEME', actorUserId: null, data: { nextInvoiceId: id, nextNumber: number, nextFramework: framework } });
      await notifyParty(trx, ctx, works, 'FOURNISSEUR', previous.supplier_structure_id, `La pièce ${previous.number} est suivie de la pièce ${number} (${info.label}) : ${formatAmountFr(t.amountDue)} à payer ce mois.`, id);
    }
    return { invoiceId: id, number, status: inv.status, statement, differences };
  });
}

/** The piece's French PDF, kept in the blob store as the piece's main document (what the MOE, the MOA and the payer download). */
async function storePiecePdf(trx: Executor, ctx: Ctx, p: {
  invoiceId: number; number: string; framework: WorksFramework; works: WorksContractRow; supplierId: number; depositorStructureId: number;
  statement: Statement; differences: PieceDifferences | null; comment: string | null; at: Date; userId: number;
}) {
  const names = await structureNames(trx, [p.supplierId, p.depositorStructureId]);
  const info = WORKS_FRAMEWORK_INFO[p.framework];
  const bytes = await renderPiecePdf({
    number: p.number, pieceType: info.pieceType, frameworkLabel: info.label, depositedAt: p.at,
    contract: { number: p.works.number, subject: p.works.subject }, supplier: names.get(p.supplierId) ?? '', depositor: names.get(p.depositorStructureId) ?? '',
    moe: p.works.moe_name, moa: p.works.moa_name, payer: p.works.payer_name, statement: p.statement, differences: p.differences, comment: p.comment,
  });
  const doc = await storeDocument(trx, ctx.blobs, { bytes, filename: `${p.number}.pdf`, mediaType: 'application/pdf', structureId: p.depositorStructureId, uploadedBy: p.userId });
  await addInvoiceDocument(trx, { invoiceId: p.invoiceId, documentId: doc.id, role: 'PRINCIPALE', status: 'BROUILLON', at: p.at });
}

/** Runs the routing steps of the piece's circuit; the MOE's step waits while the contract's MOE is not on the platform. */
async function route(trx: Executor, ctx: Ctx, works: WorksContractRow, inv: InvoiceRow): Promise<InvoiceRow> {
  for (const action of circuitOf(inv.framework)?.routing ?? []) {
    if (action === 'METTRE_A_DISPOSITION_MOE' && !works.moe_structure_id) break;
    if (!nextStatus(await invoiceFacts(trx, inv), action, 'SYSTEME').ok) continue;
    inv = await applyTransition(trx, ctx, inv, { action, role: 'SYSTEME', actorUserId: null });
    if (inv.status === 'MISE_A_DISPOSITION_MOE') {
      await trx.updateTable('works_pieces').set({ moe_received_at: ctx.clock.now() }).where('invoice_id', '=', inv.id).execute();
      await notifyParty(trx, ctx, works, 'MOE', works.moe_structure_id!, `Nouvelle pièce ${inv.number} de ${inv.supplier_name} à traiter sous 7 jours (marché ${works.number}).`, inv.id);
    }
    if (inv.status === 'MISE_A_DISPOSITION_MOA') await notifyParty(trx, ctx, works, 'MOA', works.moa_structure_id, `Pièce ${inv.number} (${inv.supplier_name}) à valider (marché ${works.number}).`, inv.id);
    if (inv.status === 'A_ASSOCIER_FOURNISSEUR') await notifyParty(trx, ctx, works, 'FOURNISSEUR', inv.supplier_structure_id, `Le décompte général ${inv.number} du marché ${works.number} est à signer (ou à contester par un mémoire en réclamation).`, inv.id);
  }
  return inv;
}

/**
 * The routing job of a works piece (an A10/A11 once its validation ended, tacitly or not): the works routing
 * from where it stands. null when the invoice is not a works piece.
 */
export async function routePiece(ctx: Ctx, invoiceId: number): Promise<string | null> {
  const piece = await findPiece(ctx.db, invoiceId);
  if (!piece) return null;
  const works = await findWorksContract(ctx.db, piece.contract_id);
  if (!works) return null;
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await lockInvoice(trx, invoiceId);
    return inv ? (await route(trx, ctx, works, inv)).status : null;
  });
}

/** Tells the members of a party with « Factures de travaux » (the payer: « Factures reçues » is told by the engine). */
export async function notifyParty(trx: Executor, ctx: Ctx, works: WorksContractRow, party: 'FOURNISSEUR' | 'MOE' | 'MOA', structureId: number, message: string, invoiceId: number, kind = 'WORKS_PIECE') {
  const link = `/travaux/${works.contract_id}/pieces/${invoiceId}`;
  for (const userId of await usersWithSpace(trx, structureId, WORKS_SPACE, null))
    await notify(trx, { userId, structureId, kind, message, link, mail: { subject: `Factures de travaux — marché ${works.number}`, text: `Bonjour,\n\n${message}\n\n${ctx.config.publicUrl}${link}\n` } });
  void party;
}

export const pieceActionInput = z.object({
  action: z.enum(['PRENDRE_EN_COMPTE', 'REFUSER', 'DUPLIQUER'], { message: 'Action inconnue.' }),
  reason: z.string().trim().max(100).nullable().optional(),
  comment: z.string().trim().max(2000, 'Le commentaire ne doit pas dépasser 2000 caractères.').nullable().optional(),
});

/** The MOE, the MOA or the titulaire acts on a piece (take into account, refuse with a valid reason, duplicate a refused piece). */
export async function actOnPiece(ctx: Ctx, actor: Actor, invoiceId: number, raw: z.input<typeof pieceActionInput>) {
  const input = parseInput(pieceActionInput, raw);
  const piece = await findPiece(ctx.db, invoiceId);
  if (!piece) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Pièce introuvable.');
  const access = await loadWorksAccess(ctx.db, actor, piece.contract_id);
  const roles: ActorRole[] = [];
  if (access.moe.acts) roles.push('MOE');
  if (access.moa.acts) roles.push('MOA');
  if (access.company.acts.includes(piece.supplier_structure_id)) roles.push('FOURNISSEUR');
  if (input.reason && !WORKS_REASONS.REFUSER.some((r) => r.code === input.reason)) throw invalid({ reason: 'Choisissez un motif de la liste.' });
  if (input.reason === 'AUTRE' && !input.comment) throw invalid({ comment: 'Précisez le motif « Autre » dans le commentaire.' });
  return ctx.db.transaction().execute(async (trx) => {
    const inv = (await lockInvoice(trx, invoiceId))!;
    const role = roles.find((r) => nextStatus({ status: inv.status, framework: inv.framework }, input.action, r, { reason: input.reason ?? 'AUTRE' }).ok) ?? roles[0];
    if (!role) throw forbidden("Vous n'avez pas le droit d'agir sur cette pièce.");
    const updated = await applyTransition(trx, ctx, inv, { action: input.action, role, actorUserId: actor.userId, input: { reason: input.reason }, comment: input.comment ?? null });
    if (input.action === 'REFUSER') {
      const who = role === 'MOE' ? "Le maître d'œuvre" : role === 'MOA' ? "Le maître de l'ouvrage" : 'Le titulaire';
      const why = WORKS_REASONS.REFUSER.find((r) => r.code === input.reason)?.label ?? input.reason;
      const to = role === 'FOURNISSEUR' ? (inv.framework === 'A18_DECOMPTE_GENERAL_MOE' ? 'MOE' : 'MOA') : 'FOURNISSEUR';
      const target = to === 'MOE' ? access.works.moe_structure_id! : to === 'MOA' ? access.works.moa_structure_id : piece.supplier_structure_id;
      await notifyParty(trx, ctx, access.works, to, target, `${who} a refusé la pièce ${inv.number} : ${why}${input.comment ? ` (${input.comment})` : ''}.`, invoiceId, 'WORKS_REFUSAL');
    }
    return { invoiceId, status: updated.status };
  });
}

const parisDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const subtract = (a: string, b: string) => {
  // Exact: both have two decimals.
  const cents = (s: string) => BigInt(s.replace('-', '').replace('.', '')) * (s.startsWith('-') ? -1n : 1n);
  const r = cents(a) - cents(b);
  const neg = r < 0n;
  const abs = (neg ? -r : r).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
};

export type { Statement };

/**
 * What the entry form of a piece starts from: the price schedule, each line's cumulative progress retained
 * so far for the company's chain, and the values to propose — the previous piece's (the MOE corrects the
 * company's projet) or the last retained month's (the company enters its new progress).
 */
export async function pieceFormData(ctx: Ctx, actor: Actor, contractId: number, raw: { framework?: string; previousInvoiceId?: number | null; supplierStructureId?: number | null }) {
  const input = parseInput(pieceInput.pick({ framework: true, previousInvoiceId: true, supplierStructureId: true }), raw);
  const { access, pieces, previous, supplierId } = await depositorOnContract(ctx, actor, contractId, input);
  const info = WORKS_FRAMEWORK_INFO[input.framework];
  const all = pieces.map(facts);
  const lastMonth = retainedHistory(all, supplierId, '9999-12').months.at(-1) ?? null;
  const thisMonth = parisDay(ctx.clock.now()).slice(0, 7);
  const month = previous?.month ?? previous?.statement?.month ?? (info.phase === 'MENSUEL' && lastMonth && lastMonth.month >= thisMonth ? nextMonth(lastMonth.month) : thisMonth);
  const retained = retainedHistory(all, supplierId, month).months.at(-1) ?? null;
  const terms = access.works.terms as unknown as WorksTerms;
  return {
    framework: input.framework, code: info.code, label: info.label, phase: info.phase, supplierStructureId: supplierId, month,
    previous: previous ? { invoiceId: previous.invoice_id, number: previous.number, code: WORKS_FRAMEWORK_INFO[previous.framework as WorksFramework]?.code ?? previous.framework, status: previous.status, statusLabel: statusLabel(previous.status), amountDue: previous.amount_due } : null,
    lines: terms.priceSchedule.map((l) => ({ code: l.code, label: l.label, kind: l.kind, unit: l.unit ?? null, quantity: l.quantity, unitPrice: l.unitPrice, retainedProgress: retained?.progress[l.code] ?? '0' })),
    progress: previous?.progress ?? retained?.progress ?? {},
    penalties: previous?.penalties ?? [],
  };
}
const nextMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
};

/** Why a piece may not follow `previous` now (French), or null: the same checks as the deposit, for the page to offer only what is open. */
export function followBlocked(works: WorksContractRow, framework: WorksFramework, previous: PieceRow, pieces: PieceRow[], now: Date): { code: string; message: string } | null {
  try {
    checkPrevious(works, framework, previous, pieces, now);
    return null;
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.userMessage };
    throw err;
  }
}
