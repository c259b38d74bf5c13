import { Decimal } from 'decimal.js';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import * as works from '../works/index.ts';
import * as structures from '../structures/index.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError, notAvailable, pageOf, readPagination, success, toCproError, MAX_RESULTS } from './envelope.ts';
import { amountText, arr, int, obj, parisDay, requiredId, str, type Body } from './input.ts';
import * as factures from './invoices-facade.ts';
import { rechercherValideur } from './validator-facade.ts';

/**
 * The works operations of factures/v1 (factures de travaux, A4–A25) over the works use cases (depositPiece,
 * actOnPiece, getPiece, searchPieces): soumettre with a works framework and `piecePrecedente` (« déposer la
 * pièce suivante »), rechercher/demandePaiement for the MOE and the MOA (`roleUtilisateur`), consulter with the
 * chain (`piecePrecedente`, `pieceSuivante`, `typeFactureTravaux`), traiter/recue with the works statuses, and
 * the works reference lists. No rule lives here: this file only renames fields. The décompte's own data (month,
 * cumulative progress per price, penalties) has no Chorus Pro field: it travels in `decompteTravaux`, an
 * extension documented in docs/api-cpro.md.
 */

const n = (s: string | null | undefined) => (s === null || s === undefined ? null : Number(s));
const isoDateTime = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export const isWorksFramework = (code: string | null) => !!code && (invoices.WORKS_FRAMEWORKS as readonly string[]).includes(code);
/** soumettre with a works framework (cadreDeFacturation.codeCadreFacturation A4 … A25, except A9/A12/A21). */
export const isWorksSubmission = (body: Body) => isWorksFramework(str(obj(body.cadreDeFacturation).codeCadreFacturation));

/** `piecePrecedente`: an id, or an object carrying idFacture / identifiantFactureCPP. */
const pieceRef = (v: unknown) => int(v) ?? int(obj(v).idFacture) ?? int(obj(v).identifiantFactureCPP);

/** decompteTravaux.avancement: [{numeroPrix, avancementCumule}] or {numeroPrix: avancementCumule}. */
function progressOf(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    v.forEach((raw, i) => {
      const l = obj(raw);
      const code = str(l.numeroPrix);
      const value = amountText(l.avancementCumule);
      if (!code || value === null) throw new CproError(CODE.DONNEES_INVALIDES, `[decompteTravaux.avancement[${i}]] Chaque ligne porte un numéro de prix (numeroPrix) et son avancement cumulé (avancementCumule : % pour un prix forfaitaire, quantité exécutée pour un prix unitaire).`);
      out[code] = value;
    });
    return out;
  }
  for (const [code, value] of Object.entries(obj(v))) {
    const a = amountText(value);
    if (a === null) throw new CproError(CODE.DONNEES_INVALIDES, `[decompteTravaux.avancement.${code}] Avancement cumulé invalide.`);
    out[code] = a;
  }
  return out;
}

function penaltiesOf(v: unknown) {
  if (v === undefined || v === null) return null;
  return arr(v).map((raw, i) => {
    const p = obj(raw);
    const amount = amountText(p.montant);
    if (!str(p.libelle) || amount === null) throw new CproError(CODE.DONNEES_INVALIDES, `[decompteTravaux.penalites[${i}]] Chaque pénalité porte un libellé (libelle) et un montant (montant).`);
    return { label: str(p.libelle)!, amount };
  });
}

/** The works contract a first piece is deposited on: references.numeroMarche among the caller's works contracts. */
async function contractOf(ctx: Ctx, caller: CproCaller, body: Body): Promise<number> {
  const numero = str(obj(body.references).numeroMarche);
  if (!numero) throw new CproError(CODE.DONNEES_INVALIDES, '[references.numeroMarche] Le numéro du marché de travaux est obligatoire pour un dépôt initial (sans piecePrecedente).');
  const found = (await works.listWorksContracts(ctx, caller.actor)).filter((c) => c.number === numero);
  if (!found.length) throw new CproError(CODE.DONNEES_INVALIDES, `[references.numeroMarche] Aucun marché de travaux « ${numero} » n'est accessible à ce compte technique.`);
  if (found.length > 1) throw new CproError(CODE.DONNEES_INVALIDES, `[references.numeroMarche] Plusieurs marchés de travaux portent le numéro « ${numero} » : déposez la pièce suivante d'une pièce du marché (piecePrecedente).`);
  return found[0]!.contractId;
}

/** factures/v1/soumettre with a works framework: a first piece, or the next piece of `piecePrecedente`. */
export async function soumettre(ctx: Ctx, caller: CproCaller, body: Body) {
  const framework = str(obj(body.cadreDeFacturation).codeCadreFacturation)! as invoices.WorksFramework;
  const info = invoices.WORKS_FRAMEWORK_INFO[framework];
  const previousId = pieceRef(body.piecePrecedente);
  const contractId = previousId ? (await works.getPiece(ctx, caller.actor, previousId)).contractId : await contractOf(ctx, caller, body);
  const d = obj(body.decompteTravaux);
  const supplier = int(obj(body.fournisseur).idFournisseur);
  const input: works.PieceInput = {
    framework, previousInvoiceId: previousId, month: str(d.mois), progress: progressOf(d.avancement), penalties: penaltiesOf(d.penalites),
    // The company's id is the caller's own structure for its pieces; for the MOE's and MOA's initial deposits it names the company.
    supplierStructureId: supplier && (info.depositor === 'FOURNISSEUR' || supplier !== caller.structureId) ? supplier : null,
    comment: str(body.commentaire),
  };
  const declared = amountText(obj(body.montantTotal).montantAPayer);
  if (declared !== null) {
    const preview = await works.previewPiece(ctx, caller.actor, contractId, input);
    let same = false;
    try {
      same = new Decimal(declared).eq(preview.statement.thisMonth.amountDue);
    } catch {
      throw new CproError(CODE.DONNEES_INVALIDES, `[montantTotal.montantAPayer] Montant invalide : « ${declared} ».`);
    }
    if (!same)
      throw new CproError(CODE.DONNEES_INVALIDES, `[montantTotal.montantAPayer] Le montant à payer déclaré (${declared}) diffère de celui du décompte calculé par la plateforme (${preview.statement.thisMonth.amountDue}) à partir du bordereau des prix et de l'avancement cumulé : vérifiez decompteTravaux.avancement et decompteTravaux.penalites.`);
  }
  const r = await works.depositPiece(ctx, caller.actor, contractId, input);
  const t = r.statement.thisMonth;
  return success({
    identifiantFactureCPP: r.invoiceId, numeroFacture: r.number, dateDepot: parisDay(ctx.clock.now()), statutFacture: r.status, identifiantStructure: caller.structureId,
    cadreDeFacturation: { codeCadreFacturation: framework }, piecePrecedente: previousId ? { idFacture: previousId } : null,
    montantTotal: { montantHtTotal: n(t.totalWithoutVat), montantTVA: n(t.vat), montantTtcTotal: n(t.totalWithVat), montantAPayer: n(t.amountDue) },
  });
}

type Piece = Awaited<ReturnType<typeof works.getPiece>>;

/** The décompte of a piece (our extension block): month, lines, totals, the differences against the previous piece. */
function decompteOf(p: Piece) {
  const s = p.statement;
  const totals = (t: NonNullable<Piece['statement']>['thisMonth']) => ({
    montantTravauxHT: n(t.works), montantRevision: n(t.revision), montantHtTotal: n(t.totalWithoutVat), montantTVA: n(t.vat), montantTtcTotal: n(t.totalWithVat),
    remboursementAvance: n(t.advanceRepayment), retenueGarantie: n(t.retention), penalites: n(t.penalties), montantAPayer: n(t.amountDue),
  });
  return {
    mois: s?.month ?? p.month,
    final: s?.final ?? p.phase === 'FIN',
    avancement: (s?.lines ?? []).map((l) => ({ numeroPrix: l.code, designation: l.label, avancementPrecedent: n(l.previousProgress), avancementCumule: n(l.progress), montantCumuleHT: n(l.amount), montantPrecedentHT: n(l.previousAmount), montantMoisHT: n(l.monthAmount) })),
    penalites: p.penalties.map((x) => ({ libelle: x.label, montant: n(x.amount) })),
    cumule: s ? totals(s.cumulative) : null,
    precedent: s ? totals(s.previous) : null,
    ceMois: s ? totals(s.thisMonth) : null,
    ecarts: p.differences ? p.differences.lines.map((l) => ({ numeroPrix: l.code, designation: l.label, avancementPrecedent: n(l.companyProgress), avancementRetenu: n(l.moeProgress), montantPrecedentHT: n(l.companyAmount), montantRetenuHT: n(l.moeAmount), ecartHT: n(l.difference) })) : [],
    alertes: s?.warnings ?? [],
  };
}

const chainOf = (p: Piece) => ({
  piecePrecedente: p.previousInvoiceId ? { idFacture: p.previousInvoiceId } : null,
  pieceSuivante: p.nextInvoiceIds.length ? { idFacture: p.nextInvoiceIds.at(-1)! } : null,
});

/** The whole piece as its MOE or MOA sees it (the shape of consulter/recipiendaire). */
function pieceAnswer(p: Piece) {
  return {
    identifiantFactureCPP: p.invoiceId, idFacture: p.invoiceId, numeroFacture: p.number, dateDepot: p.depositedAt ? parisDay(new Date(p.depositedAt)) : null,
    statutFacture: p.status, statutCourantCode: p.status, modeDepot: 'SAISIE_WEB', typeFacture: 'FACTURE', commentaire: p.comment,
    fournisseur: { idFournisseur: p.supplier.id, raisonSocialeFournisseur: p.supplier.name },
    cadreDeFacturation: { codeCadreFacturation: p.framework },
    references: { deviseFacture: 'EUR', typeFacture: 'FACTURE', typeFactureTravaux: p.pieceType, numeroMarche: p.contractNumber },
    montantTotal: { montantHtTotal: n(p.amounts.totalWithoutVat), montantTVA: n(p.amounts.vat), montantTtcTotal: n(p.amounts.totalWithVat), montantAPayer: n(p.amounts.amountDue) },
    pieceJointePrincipale: p.documentId ? [{ pieceJointePrincipaleDesignation: `${p.number}.pdf`, pieceJointePrincipaleId: p.documentId }] : [],
    ...chainOf(p),
    decompteTravaux: decompteOf(p),
  };
}

/** Is the caller's structure the MOE or the MOA of the piece's contract? */
async function isMoeOrMoa(ctx: Ctx, caller: CproCaller, p: Piece) {
  const c = await works.getWorksContract(ctx, caller.actor, p.contractId);
  return c.moe?.id === caller.structureId || c.moa.id === caller.structureId;
}

/**
 * factures/v1/consulter/fournisseur and consulter/recipiendaire: the standard consultation, with the chain and the
 * décompte for a works piece; the MOE and the MOA, to whom a piece is addressed, consult it as recipients.
 */
export async function consulter(ctx: Ctx, caller: CproCaller, body: Body, side: 'FOURNISSEUR' | 'DESTINATAIRE') {
  const id = int(body.identifiantFactureCPP) ?? int(body.idFacture);
  let base: Record<string, unknown>;
  try {
    base = await factures.consulter(ctx, caller, body, side);
  } catch (err) {
    const e = toCproError(err);
    if (side !== 'DESTINATAIRE' || !id || (e.codeRetour !== CODE.DEMANDE_PAIEMENT_INEXISTANTE && e.codeRetour !== CODE.DROITS_INSUFFISANTS)) throw err;
    const p = await works.getPiece(ctx, caller.actor, id).catch(() => null);
    if (!p || !(await isMoeOrMoa(ctx, caller, p))) throw err;
    return success(pieceAnswer(p));
  }
  const p = id && isWorksFramework(str(obj(base.cadreDeFacturation).codeCadreFacturation)) ? await works.getPiece(ctx, caller.actor, id).catch(() => null) : null;
  if (!p) return base;
  return { ...base, references: { ...obj(base.references), typeFactureTravaux: p.pieceType, numeroMarche: p.contractNumber }, ...chainOf(p), decompteTravaux: decompteOf(p) };
}

/** The works statuses a party sets with traiter/recue, and the piece's action behind each (the transition table). */
const PIECE_ACTIONS = ['PRENDRE_EN_COMPTE', 'REFUSER', 'DUPLIQUER'] as const;
const WORKS_STATUT_TO_ACTION = Object.fromEntries(
  invoices.TRANSITIONS.filter((t) => (PIECE_ACTIONS as readonly string[]).includes(t.action) && t.role !== 'SYSTEME').map((t) => [t.to, t.action]),
) as Record<string, (typeof PIECE_ACTIONS)[number]>;
export const isWorksStatus = (body: Body) => !!str(body.nouveauStatut) && str(body.nouveauStatut)! in WORKS_STATUT_TO_ACTION;

/**
 * factures/v1/traiter/recue with a works status: the MOE or the MOA takes the piece into account
 * (PRISE_EN_COMPTE_MOE/MOA) or refuses it for a valid reason (REFUSEE_MOE/MOA, `motif`; never an amount), the
 * titulaire refuses a décompte général by a claim (REFUSEE_FOURNISSEUR) or duplicates a refused piece.
 */
export async function traiterRecue(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const nouveauStatut = str(body.nouveauStatut)!;
  const action = WORKS_STATUT_TO_ACTION[nouveauStatut]!;
  const p = await works.getPiece(ctx, caller.actor, id);
  const possible = p.actions.filter((a) => a.action === action).map((a) => invoices.nextStatus({ status: p.status, framework: p.framework }, action, a.role, { reason: 'AUTRE' }));
  if (!possible.some((r) => r.ok && r.to === nouveauStatut)) {
    const reachable = [...new Set(p.actions.flatMap((a) => { const r = invoices.nextStatus({ status: p.status, framework: p.framework }, a.action as invoices.InvoiceAction, a.role, { reason: 'AUTRE' }); return r.ok ? [r.to] : []; }))];
    throw new CproError(CODE.TRANSITION_IMPOSSIBLE, `[nouveauStatut] La pièce ${p.number} est au statut « ${p.status} » : ce compte ne peut pas la passer au statut ${nouveauStatut}${reachable.length ? ` (statuts possibles : ${reachable.join(', ')})` : ''}.`);
  }
  const motif = str(body.motif) ?? str(body.motifRefus);
  const reason = motif ? invoices.WORKS_REASONS.REFUSER.find((r) => r.code === motif.toUpperCase() || r.label.toLowerCase() === motif.toLowerCase())?.code ?? motif : null;
  if (action === 'REFUSER' && !reason) throw new CproError(CODE.DONNEES_INVALIDES, `[motif] Le motif du refus est obligatoire : ${invoices.WORKS_REASONS.REFUSER.map((r) => r.code).join(', ')}.`);
  const r = await works.actOnPiece(ctx, caller.actor, id, { action, reason, comment: str(body.commentaire) });
  return success({ idFacture: id, numeroFacture: p.number, nouveauStatut: r.status, dateTraitement: parisDay(ctx.clock.now()) });
}

const ROLES = ['FOURNISSEUR', 'DESTINATAIRE', 'VALIDATEUR', 'MOE', 'MOA'];

/**
 * factures/v1/rechercher/demandePaiement: the search by role of the user (`roleUtilisateur`). MOE and MOA: the
 * works pieces of the contracts where the caller's structure is the MOE or the MOA; FOURNISSEUR, DESTINATAIRE and
 * VALIDATEUR: the searches of rechercher/fournisseur, rechercher/recipiendaire and rechercher/valideur.
 * `dpOuDpArchive` DP_ARCHIVE: there is no archive base.
 */
export async function rechercherDemandePaiement(ctx: Ctx, caller: CproCaller, body: Body) {
  if (str(body.dpOuDpArchive) === 'DP_ARCHIVE') throw notAvailable('factures/v1/rechercher/demandePaiement', 'la recherche en base archive (dpOuDpArchive DP_ARCHIVE) n’existe pas ; demandez DEMANDE_PAIEMENT.');
  const role = (str(body.roleUtilisateur) ?? 'FOURNISSEUR').toUpperCase();
  if (!ROLES.includes(role)) throw new CproError(CODE.DONNEES_INVALIDES, `[roleUtilisateur] Rôle « ${role} » inconnu ; rôles possibles : ${ROLES.join(', ')}.`);
  if (role === 'FOURNISSEUR') return factures.rechercherFournisseur(ctx, caller, body);
  if (role === 'DESTINATAIRE') return factures.rechercherRecipiendaire(ctx, caller, body);
  if (role === 'VALIDATEUR') return rechercherValideur(ctx, caller, body);
  const statuses = arr(body.statutCourant).map(str).filter((s): s is string => !!s);
  const numero = str(body.numeroFacture);
  const cadre = str(body.cadreFacturation) ?? str(body.codeCadreFacturation);
  const marche = str(body.numeroMarche);
  const rows = (await works.searchPieces(ctx, caller.actor, caller.structureId, role as 'MOE' | 'MOA'))
    .filter((p) => !statuses.length || statuses.includes(p.status))
    .filter((p) => !numero || p.number === numero)
    .filter((p) => !cadre || p.framework === cadre || p.code === cadre)
    .filter((p) => !marche || p.contractNumber === marche)
    .slice(0, MAX_RESULTS);
  const items = rows.map((p) => ({
    idFacture: p.invoiceId, identifiantFactureCPP: p.invoiceId, numeroFacture: p.number, statut: p.status, cadreFacturation: p.framework, typeFactureTravaux: p.pieceType,
    numeroMarche: p.contractNumber, mois: p.month, dateDepot: p.depositedAt ? parisDay(new Date(p.depositedAt)) : null, devise: 'EUR',
    montantHT: n(p.amounts.totalWithoutVat), montantTTC: n(p.amounts.totalWithVat), montantAPayer: n(p.amounts.amountDue),
    idFournisseur: p.supplier.id, designationFournisseur: p.supplier.name, idPiecePrecedente: p.previousInvoiceId, idPieceSuivante: p.nextInvoiceIds.at(-1) ?? null,
    aTraiter: p.actions.some((a) => a.role === role), dateLimiteTraitement: role === 'MOE' && p.moeDeadline ? p.moeDeadline.dueDay : null,
    dateReceptionMOE: isoDateTime(p.moeReceivedAt),
  }));
  const page = pageOf(items, readPagination(body.parametres ?? body.paramRecherche ?? body.pagination, 'idFacture'));
  return success({ listeFactures: page.items, parametresRetour: page.parametresRetour });
}

/** transverses/v1/recuperer/typefacturetravaux: the piece types the works circuits use. */
export function typesFactureTravaux() {
  const types = [...new Set(Object.values(invoices.WORKS_FRAMEWORK_INFO).map((i) => i.pieceType))];
  return { listeTypeFactureTravaux: types.map((t) => ({ typeFactureTravaux: t, libelleTypeFactureTravaux: works.PIECE_TITLES[t] ?? t })) };
}

/** transverses/v1/recuperer/structures/actives/facturetravaux: the caller's structures where it has « Factures de travaux ». */
export async function structuresActivesFactureTravaux(ctx: Ctx, caller: CproCaller) {
  const items = [];
  for (const r of await structures.listStructuresOfUser(ctx.db, caller.actor.userId)) {
    if (r.status !== 'ACTIVE') continue;
    const spaces = await structures.listMySpaces(ctx, caller.actor, r.id);
    if (spaces.spaces.some((s) => s.space === 'FACTURES_TRAVAUX')) items.push({ idStructureCPP: r.id, identifiant: r.identifier, designationStructure: r.name });
  }
  return success({ listeStructures: items });
}
