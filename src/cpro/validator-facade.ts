import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError, pageOf, readPagination, success, MAX_RESULTS } from './envelope.ts';
import { arr, int, obj, parisDay, requiredId, str, type Body } from './input.ts';
import { isValidatedFramework } from './references.ts';
import { invoiceHeader } from './invoices-facade.ts';

/**
 * factures/v1 operations of the validator of a subcontractor's (A9) or co-contractor's (A12) invoice, and the
 * supplier's correction of the validator, over the platform's use cases (searchInvoicesToValidate,
 * getInvoiceToValidate, decideValidation, correctValidator). No rule lives here: this file only renames fields.
 * Where the Chorus Pro documentation gives no field names, those of rechercher/recipiendaire, consulter/recipiendaire
 * and traiter/recue are used (see docs/api-cpro.md).
 */

const n = (s: string | null | undefined) => (s === null || s === undefined ? null : Number(s));
const isoDateTime = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The refusal reasons of a validator, numbered as the reference list gives them (idMotif). */
const refusalReasons = () => invoices.REASONS.REFUSER_VALIDATION.map((r, i) => ({ idMotif: i + 1, codeMotif: r.code, libelleMotif: r.label }));

/** transverses/v1/recuperer/motifs/refus/Facture/AValider. */
export function motifsRefusFactureAValider(body: Body) {
  const cadre = str(body.codeCadreFacturationAValider) ?? str(body.codeCadreFacturation);
  if (cadre && !isValidatedFramework(cadre))
    throw new CproError(CODE.DONNEES_INVALIDES, `[codeCadreFacturationAValider] Le cadre « ${cadre} » n'a pas de circuit de validation (A9_FACTURE_SOUSTRAITANT ou A12_FACTURE_COTRAITANT).`);
  return { listeMotifRefusFactureAValider: refusalReasons() };
}

/** factures/v1/recuperer/statutsFactureVisibles/valideur: the statuses a validator's search may ask for. */
export function statutsFactureVisiblesValideur() {
  return success({ listeStatutsFactureVisibles: invoices.statusesVisibleToValidators().map((s) => ({ statutFacture: s })) });
}

/** factures/v1/rechercher/valideur: the invoices the caller's structure validates (« Factures à valider »). */
export async function rechercherValideur(ctx: Ctx, caller: CproCaller, body: Body) {
  const statuses = arr(body.statutCourant).map(str).filter((s): s is string => !!s);
  if (!statuses.length && str(body.statutCourant)) statuses.push(str(body.statutCourant)!);
  const rows: Array<Awaited<ReturnType<typeof invoices.searchInvoicesToValidate>>['invoices'][number]> = [];
  for (const status of statuses.length ? statuses : [undefined]) {
    for (let page = 1; rows.length < MAX_RESULTS; page++) {
      const r = await invoices.searchInvoicesToValidate(ctx, caller.actor, caller.structureId, { status, number: str(body.numeroFacture) ?? undefined, page, pageSize: 100 });
      rows.push(...r.invoices);
      if (page * r.pageSize >= r.total) break;
    }
  }
  const items = rows.slice(0, MAX_RESULTS).map((r) => ({
    idFacture: r.id,
    numeroFacture: r.number,
    statut: r.status,
    typeDemandePaiement: 'FACTURE',
    cadreFacturation: r.framework,
    dateFacture: r.invoice_date,
    devise: r.currency,
    montantHT: n(r.total_without_vat),
    montantTTC: n(r.total_with_vat),
    codeFournisseur: r.supplier_identifier,
    designationFournisseur: r.supplier_name,
    typeIdentifiantFournisseur: 'SIRET',
    designationDestinataire: r.recipient_name,
    numeroMarche: r.contract_number,
    aTraiter: r.waitingForMe,
    niveauValidation: r.level,
    dateLimiteValidation: isoDateTime(r.dueAt),
    nbJoursRestants: r.daysLeft,
  }));
  const page = pageOf(items, readPagination(body.paramRecherche ?? body.parametres, 'idFacture'));
  return success({ listeFactures: page.items, ...page.parametresRetour, parametresRetour: page.parametresRetour });
}

/** factures/v1/consulter/valideur: the whole invoice as its validator sees it, with the circuit. */
export async function consulterValideur(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const g = await invoices.getInvoiceToValidate(ctx, caller.actor, id);
  const i = g.invoice;
  const main = g.documents.find((d) => d.role === 'PRINCIPALE');
  const validator = (level: 1 | 2) => g.circuit.levels.find((l) => l.level === level);
  const validatorBlock = Object.assign({}, ...([1, 2] as const).map((level) => {
    const l = validator(level);
    const decided = l?.decisions.at(-1);
    return l?.validator
      ? { [`idValideur${level}`]: l.validator.id, [`codeValideur${level}`]: l.validator.identifier, [`raisonSocialeValideur${level}`]: l.validator.name, [`typeIdentifiantValideur${level}`]: 'SIRET', [`dateValidation${level}`]: decided ? parisDay(new Date(decided.at)) : null }
      : {};
  }));
  return success({
    ...invoiceHeader(i),
    cadreDeFacturation: { codeCadreFacturation: i.framework, ...validatorBlock },
    destinataire: { idDestinataire: i.recipient_structure_id, codeDestinataire: i.recipient_identifier, libelleDestinataire: i.recipient_name, codeServiceExecutant: i.service_code },
    references: { deviseFacture: i.currency, typeFacture: i.document_type, numeroBonCommande: i.ej_number, numeroMarche: g.circuit.contract.number },
    validation: {
      niveauValidation: g.levels.find((l) => l.acts)?.level ?? null,
      dateLimiteValidation: isoDateTime(g.circuit.levels.find((l) => l.dueAt)?.dueAt),
      nbJoursRestants: g.circuit.levels.find((l) => l.dueAt)?.daysLeft ?? null,
      actionsPossibles: Object.values(g.actions).flat().map((a) => ACTION_OF[a] ?? a),
      decisions: g.circuit.levels.flatMap((l) => l.decisions.map((d) => ({ niveau: l.level, decision: d.decision, statut: d.status, dateHeure: isoDateTime(d.at), motifRefus: d.reason, commentaire: d.comment }))),
    },
    lignesDePoste: g.lines.map((l) => ({
      lignePosteNumero: l.position, lignePosteDenomination: l.description, lignePosteQuantite: n(l.quantity), lignePosteUnite: l.unit,
      lignePosteMontantUnitaireHT: n(l.unit_price), lignePosteMontantRemiseHT: n(l.discount_amount), lignePosteTauxTvaManuel: n(l.vat_rate), lignePosteMontantHtApresRemise: n(l.net_amount),
    })),
    recapitulatifDeTva: g.vatBreakdown.map((b) => ({ tauxTva: n(b.vat_rate), montantBaseHtParTaux: n(b.taxable_amount), montantTvaParTaux: n(b.vat_amount) })),
    montantTotal: { montantHtTotal: n(i.total_without_vat), montantTVA: n(i.total_vat), montantTtcTotal: n(i.total_with_vat), montantAPayer: n(i.amount_due) },
    pieceJointePrincipale: main ? [{ pieceJointePrincipaleDesignation: main.filename, pieceJointePrincipaleId: main.document_id }] : [],
    listeDesPiecesJointes: g.documents.map((d) => ({ pieceJointeDesignation: d.filename, pieceJointeType: d.role, pieceJointeId: d.document_id, pieceJointeTaille: Number(d.size_bytes), pieceJointeEmpreinte: d.sha256 })),
  });
}

/** Chorus Pro's action codes of traiter/factureAValider and the platform's decisions. */
const DECISION_OF: Record<string, 'VALIDER' | 'REFUSER_VALIDATION' | 'SIGNALER_ERREUR_VALIDEUR'> = { VALIDATION: 'VALIDER', REFUS: 'REFUSER_VALIDATION', ERREUR_VALIDEUR: 'SIGNALER_ERREUR_VALIDEUR' };
const ACTION_OF: Record<string, string> = Object.fromEntries(Object.entries(DECISION_OF).map(([k, v]) => [v, k]));

/** factures/v1/traiter/factureAValider: the validator accepts (VALIDATION) or refuses (REFUS, motifRefus) the invoice. */
export async function traiterFactureAValider(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const code = str(body.action);
  const action = code ? DECISION_OF[code.toUpperCase()] : undefined;
  if (!action) throw new CproError(CODE.DONNEES_INVALIDES, `[action] Action « ${code ?? ''} » impossible pour un valideur ; actions possibles : ${Object.keys(DECISION_OF).join(', ')}.`);
  // motifRefus: the code, the label or the idMotif of transverses/v1/recuperer/motifs/refus/Facture/AValider.
  const motif = str(body.motifRefus) ?? str(body.motif);
  const byId = int(body.motifRefus) ?? int(body.idMotif);
  const known = refusalReasons().find((r) => r.idMotif === byId || (motif && (r.codeMotif === motif.toUpperCase() || r.libelleMotif.toLowerCase() === motif.toLowerCase())));
  const r = await invoices.decideValidation(ctx, caller.actor, id, { action, reason: known?.codeMotif ?? motif, comment: str(body.commentaire) });
  const g = await invoices.getInvoiceToValidate(ctx, caller.actor, id);
  return success({ idFacture: id, numeroFacture: g.invoice.number, nouveauStatut: r.status, niveauValidation: r.level, dateTraitement: parisDay(ctx.clock.now()) });
}

/** factures/v1/corriger/valideur/facture: the supplier names the validator the contract designates. */
export async function corrigerValideur(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const g = await invoices.getInvoice(ctx, caller.actor, id);
  if (!g.sees.FOURNISSEUR || g.invoice.supplier_structure_id !== caller.structureId)
    throw new CproError(CODE.DEMANDE_PAIEMENT_INEXISTANTE, `La facture ${id} n'existe pas pour ce fournisseur.`);
  const validatorSiret = str(obj(body.cadreDeFacturation).codeStructureValideur) ?? str(body.codeStructureValideur);
  const r = await invoices.correctValidator(ctx, caller.actor, id, { validatorSiret, comment: str(body.commentaire) });
  return success({ idFacture: id, numeroFacture: g.invoice.number, statutFacture: r.status, dateTraitement: parisDay(ctx.clock.now()) });
}
