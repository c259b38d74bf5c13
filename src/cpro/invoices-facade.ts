import { Decimal } from 'decimal.js';
import { zipSync } from 'fflate';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import { AppError } from '../shared/app-error.ts';
import { findStructure } from '../structures/index.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError, notAvailable, pageOf, parametresRetour, readPagination, success, MAX_RESULTS, type Pagination } from './envelope.ts';
import { amountText, arr, bool, day, int, obj, parisDay, requiredId, str, type Body } from './input.ts';
import { ALL_FRAMEWORKS, CPRO_FRAMEWORKS, MODES_DEPOT_API, STATUT_TO_ACTION, frameworkAccepted, isValidatedFramework, vatRateOf } from './references.ts';
import { loadAttachment } from './attachments.ts';
import { flowNumberColumn, invoiceIdsOfFlow } from './flows-repository.ts';

/**
 * factures/v1: the Chorus Pro invoice operations translated to the platform's invoice use cases
 * (createDraft, addAttachments, submitInvoice, actOnInvoice, searchInvoices, getInvoice). No rule lives here:
 * this file only renames fields and reshapes answers.
 */

const n = (s: string | null | undefined) => (s === null || s === undefined ? null : Number(s));

/** The Chorus Pro body of soumettre → the platform's draft input. */
export function draftFromSoumettre(caller: CproCaller, body: Body): { draft: invoices.DraftInput; mainId: number | null; complementIds: number[] } {
  const modeDepot = str(body.modeDepot) ?? 'SAISIE_API';
  if (!(MODES_DEPOT_API as readonly string[]).includes(modeDepot))
    throw new CproError(CODE.DONNEES_INVALIDES, `[modeDepot] Le mode de dépôt « ${modeDepot} » n'est pas accepté par soumettre : ${MODES_DEPOT_API.join(', ')}.`);
  const cadre = obj(body.cadreDeFacturation);
  const framework = str(cadre.codeCadreFacturation) ?? 'A1_FACTURE_FOURNISSEUR';
  if (!frameworkAccepted(framework)) {
    if ((ALL_FRAMEWORKS as readonly string[]).includes(framework))
      throw notAvailable('factures/v1/soumettre', `le cadre de facturation ${framework} n'est pas ouvert à soumettre ([cadreDeFacturation.codeCadreFacturation]) ; cadres acceptés : ${CPRO_FRAMEWORKS.join(', ')}.`);
    throw new CproError(CODE.DONNEES_INVALIDES, `[cadreDeFacturation.codeCadreFacturation] Cadre de facturation « ${framework} » inconnu.`);
  }
  const destinataire = obj(body.destinataire);
  const recipientSiret = str(destinataire.codeDestinataire);
  if (!recipientSiret) throw new CproError(CODE.DESTINATAIRE_INCONNU, '[destinataire.codeDestinataire] Le SIRET du destinataire est obligatoire.');
  const fournisseur = obj(body.fournisseur);
  const refs = obj(body.references);
  const totals = obj(body.montantTotal);
  const isPdf = modeDepot !== 'SAISIE_API';
  const lines = arr(body.lignePoste).map((raw) => {
    const l = obj(raw);
    return {
      description: str(l.lignePosteDenomination) ?? str(l.lignePosteReference) ?? '',
      quantity: amountText(l.lignePosteQuantite) ?? '',
      unit: str(l.lignePosteUnite),
      unitPrice: amountText(l.lignePosteMontantUnitaireHT) ?? '',
      discountAmount: amountText(l.lignePosteMontantRemiseHT),
      vatRate: vatRateOf(l.lignePosteTauxTva, l.lignePosteTauxTvaManuel) ?? '',
    };
  });
  const toPay = amountText(totals.montantAPayer);
  let prepaidAmount: string | null = null;
  if (!isPdf && toPay) {
    // The amount due is declared; what was already paid is the difference with the computed TTC.
    const computed = invoices.computeTotals(lines, null);
    if (!Object.keys(computed.errors).length) {
      try {
        const paid = new Decimal(computed.totals.totalWithVat).minus(toPay);
        prepaidAmount = paid.gt(0) ? paid.toFixed(2) : null;
      } catch {
        throw new CproError(CODE.DONNEES_INVALIDES, `[montantTotal.montantAPayer] Montant invalide : « ${toPay} ».`);
      }
    }
  }
  const number = str(body.numeroFactureSaisi) ?? (isPdf ? null : generatedNumber());
  if (!number) throw new CproError(CODE.DONNEES_INVALIDES, `[numeroFactureSaisi] Le numéro de facture est obligatoire en mode ${modeDepot}.`);
  const invoiceDate = day(body.dateFacture);
  if (!invoiceDate) throw new CproError(CODE.DONNEES_INVALIDES, '[dateFacture] La date de facture est obligatoire (AAAA-MM-JJ).');
  const draft: invoices.DraftInput = {
    supplierStructureId: int(fournisseur.idFournisseur) ?? caller.structureId,
    recipientSiret,
    serviceCode: str(destinataire.codeServiceExecutant),
    ejNumber: str(refs.numeroBonCommande),
    framework: framework as invoices.DraftInput['framework'],
    documentType: (str(refs.typeFacture) ?? 'FACTURE') as invoices.DraftInput['documentType'],
    originalInvoiceNumber: str(refs.numeroFactureOrigine),
    number,
    invoiceDate,
    dueDate: day(refs.dateEcheancePaiement),
    currency: str(refs.deviseFacture) ?? 'EUR',
    depositMode: isPdf ? 'DEPOT_PDF_API' : 'SAISIE_API',
    lines: isPdf ? [] : lines,
    prepaidAmount,
    totals: isPdf
      ? { totalWithoutVat: amountText(totals.montantHtTotal), totalVat: amountText(totals.montantTVA), totalWithVat: amountText(totals.montantTtcTotal), amountDue: toPay }
      : undefined,
    comment: str(body.commentaire),
  };
  const main = arr(body.pieceJointePrincipale).map(obj)[0];
  const mainId = main ? int(main.pieceJointePrincipaleId) : null;
  if (isPdf && !mainId) throw new CproError(CODE.PIECE_JOINTE_INCONNUE, `[pieceJointePrincipale] En mode ${modeDepot}, la facture PDF (pieceJointePrincipaleId, obtenu par deposer/pdf ou ajouter/fichier) est obligatoire.`);
  const complementIds = arr(body.pieceJointeComplementaire).map((p) => int(obj(p).pieceJointeComplementaireId)).filter((x): x is number => !!x);
  return { draft, mainId, complementIds };
}

let seq = 0;
/** In SAISIE_API Chorus Pro numbers the invoice itself when the client sends no number. */
function generatedNumber() {
  seq = (seq + 1) % 1296;
  return `API${Date.now().toString(36).toUpperCase()}${seq.toString(36).toUpperCase().padStart(2, '0')}`.slice(0, 20);
}

/** Declared totals of a SAISIE_API must match what the lines give (the platform computes them). */
async function checkDeclaredTotals(ctx: Ctx, caller: CproCaller, invoiceId: number, body: Body) {
  const totals = obj(body.montantTotal);
  const g = await invoices.getInvoice(ctx, caller.actor, invoiceId);
  const inv = g.invoice;
  const pairs: Array<[string, string, string]> = [
    ['montantHtTotal', 'Montant total HT', inv.total_without_vat],
    ['montantTVA', 'Montant de TVA', inv.total_vat],
    ['montantTtcTotal', 'Montant total TTC', inv.total_with_vat],
  ];
  for (const [field, label, computed] of pairs) {
    const declared = amountText(totals[field]);
    if (declared === null) continue;
    let same = false;
    try {
      same = new Decimal(declared).eq(computed);
    } catch {
      /* not a number */
    }
    if (!same) throw new CproError(CODE.DONNEES_INVALIDES, `[montantTotal.${field}] ${label} déclaré (${declared}) différent du montant calculé à partir des lignes (${computed}).`);
  }
}

/** factures/v1/soumettre: draft, attachments, then « valider et envoyer » — or nothing at all. */
export async function soumettre(ctx: Ctx, caller: CproCaller, body: Body) {
  const { draft, mainId, complementIds } = draftFromSoumettre(caller, body);
  const main = mainId ? await loadAttachment(ctx, caller, mainId, 'pieceJointePrincipale.pieceJointePrincipaleId') : null;
  const complements = [];
  for (const id of complementIds) complements.push(await loadAttachment(ctx, caller, id, 'pieceJointeComplementaire.pieceJointeComplementaireId'));
  const { invoiceId } = await invoices.createDraft(ctx, caller.actor, draft);
  try {
    if (draft.depositMode === 'SAISIE_API') await checkDeclaredTotals(ctx, caller, invoiceId, body);
    // The contract (numeroMarche) and, for A9 / A12, the validating structure (codeStructureValideur).
    const contractNumber = str(obj(body.references).numeroMarche);
    const validatorSiret = str(obj(body.cadreDeFacturation).codeStructureValideur);
    if (contractNumber || validatorSiret || isValidatedFramework(String(draft.framework)))
      await invoices.setInvoiceContract(ctx, caller.actor, invoiceId, { contractNumber, validatorSiret });
    if (main) await invoices.addAttachments(ctx, caller.actor, invoiceId, [main], 'PRINCIPALE');
    if (complements.length) await invoices.addAttachments(ctx, caller.actor, invoiceId, complements, 'COMPLEMENTAIRE');
    const r = await invoices.submitInvoice(ctx, caller.actor, invoiceId);
    const g = await invoices.getInvoice(ctx, caller.actor, invoiceId);
    return success({
      identifiantFactureCPP: invoiceId,
      numeroFacture: g.invoice.number,
      dateDepot: parisDay(r.depositedAt),
      statutFacture: r.status,
      identifiantStructure: g.invoice.supplier_identifier,
      empreinteCertificatDepot: r.certificate.sha256,
    });
  } catch (err) {
    // soumettre creates an invoice or nothing: the draft made for this call is deleted (its number is freed).
    await invoices.actOnInvoice(ctx, caller.actor, invoiceId, { action: 'SUPPRIMER' }).catch(() => undefined);
    throw err;
  }
}

/** An invoice seen from one side; 20000 when the caller is not that side. */
async function invoiceAs(ctx: Ctx, caller: CproCaller, invoiceId: number, side: 'FOURNISSEUR' | 'DESTINATAIRE') {
  const g = await invoices.getInvoice(ctx, caller.actor, invoiceId);
  if (!g.sees[side] || (side === 'FOURNISSEUR' && g.invoice.supplier_structure_id !== caller.structureId) || (side === 'DESTINATAIRE' && g.invoice.recipient_structure_id !== caller.structureId))
    throw new CproError(CODE.DEMANDE_PAIEMENT_INEXISTANTE, `La facture ${invoiceId} n'existe pas pour ce ${side === 'FOURNISSEUR' ? 'fournisseur' : 'destinataire'}.`);
  return g;
}

/** factures/v1/completer: a SUSPENDUE invoice gets its complementary documents and/or a comment → COMPLETEE. */
export async function completer(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'identifiantFactureCPP', 'idFacture');
  const g = await invoiceAs(ctx, caller, id, 'FOURNISSEUR');
  if (g.invoice.status !== 'SUSPENDUE') throw new CproError(CODE.STATUT_NON_SUSPENDUE, `La facture ${g.invoice.number} n'est pas au statut SUSPENDUE (statut « ${g.invoice.status} »).`);
  const files = [];
  for (const p of arr(body.pieceJointeComplementaire)) files.push(await loadAttachment(ctx, caller, int(obj(p).pieceJointeComplementaireId), 'pieceJointeComplementaire.pieceJointeComplementaireId'));
  if (files.length) await invoices.addAttachments(ctx, caller.actor, id, files, 'COMPLEMENTAIRE');
  await invoices.actOnInvoice(ctx, caller.actor, id, { action: 'COMPLETER', comment: str(body.commentaire) });
  return success({ identifiantFactureCPP: id, numeroFacture: g.invoice.number, dateTraitement: parisDay(ctx.clock.now()) });
}

/** factures/v1/recycler: an A_RECYCLER invoice gets a corrected recipient, service or EJ, same number. */
export async function recycler(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'identifiantFactureCPP', 'idFacture');
  await invoiceAs(ctx, caller, id, 'FOURNISSEUR');
  const dest = obj(body.destinataire);
  const ref = obj(body.reference ?? body.references);
  const r = await invoices.actOnInvoice(ctx, caller.actor, id, {
    action: 'RECYCLER', recipientSiret: str(dest.codeDestinataire), serviceCode: str(dest.codeServiceExecutant), ejNumber: str(ref.numeroBonCommande), comment: str(body.commentaire),
  });
  const g = await invoices.getInvoice(ctx, caller.actor, id);
  return success({ identifiantFactureCPP: id, numeroFacture: g.invoice.number, dateDepot: parisDay(ctx.clock.now()), statutFacture: r.status });
}

/** A Chorus Pro search's criteria, as the platform's invoice search takes them (the flow by its invoices' ids). */
async function searchCriteria(ctx: Ctx, caller: CproCaller, side: 'EMISES' | 'RECUES', body: Body) {
  const ids = (list: unknown, key: string) => arr(list).map((d) => int(obj(d)[key])).filter((x): x is number => !!x);
  const statuses = arr(body.statutCourant).map(str).filter((s): s is string => !!s);
  const recipientIds = ids(body.listeDestinataire, 'idDestinataire');
  const supplierIds = ids(body.listeFournisseurs, 'idFournisseur');
  const numeroFlux = str(body.numeroFluxDepot);
  return {
    side, structureId: caller.structureId, number: str(body.numeroFacture) ?? undefined,
    dateFrom: day(body.periodeDateFactureDu) ?? undefined, dateTo: day(body.periodeDateFactureAu) ?? undefined,
    amountMin: amountText(body.montantTTCMin) ?? undefined, amountMax: amountText(body.montantTTCMax) ?? undefined,
    statuses: statuses.length ? statuses : undefined,
    depositedFrom: day(body.periodeDateDepotDu) ?? undefined, depositedTo: day(body.periodeDateDepotAu) ?? undefined,
    documentType: str(body.typeFacture) ?? undefined,
    recipientIds: recipientIds.length ? recipientIds : undefined,
    supplierIds: supplierIds.length ? supplierIds : undefined,
    serviceId: int(body.idServiceExecutant) ?? undefined,
    rejectHandled: body.rejetTraite === undefined || body.rejetTraite === null ? undefined : bool(body.rejetTraite),
    invoiceIds: numeroFlux ? await invoiceIdsOfFlow(ctx.db, caller.structureId, numeroFlux) : undefined,
    // Chorus Pro's nbResultatsMaximum: a search shows at most 200 invoices, so it counts no further.
    countUpTo: MAX_RESULTS,
  };
}

/**
 * The page of a search, as items. Newest first (the search's own order, and the default) is cut in SQL; another
 * order sorts the 200 newest matching invoices (Chorus Pro's nbResultatsMaximum) and cuts them in memory.
 */
async function searchPage<T extends Record<string, unknown>, E = never>(ctx: Ctx, caller: CproCaller, side: 'EMISES' | 'RECUES', body: Body, p: Pagination, idKey: string, itemOf: (row: invoices.ApiSearchRow & { extra: E }) => T, column?: invoices.SearchColumn<E>) {
  const criteria = await searchCriteria(ctx, caller, side, body);
  const offset = (p.page - 1) * p.perPage;
  if (p.sortColumn === idKey && p.descending && offset < MAX_RESULTS) {
    const r = await invoices.searchInvoicesForApi(ctx, caller.actor, { ...criteria, page: p.page, pageSize: p.perPage }, column);
    return { items: r.invoices.slice(0, MAX_RESULTS - offset).map(itemOf), parametresRetour: parametresRetour(p, r.total) };
  }
  const r = await invoices.searchInvoicesForApi(ctx, caller.actor, { ...criteria, pageSize: MAX_RESULTS }, column);
  return pageOf(r.invoices.map(itemOf), p);
}

/**
 * An item of a search: the invoice's id under the side's name, then the fields both sides show (the answer's order);
 * the caller adds its own after them. One object literal: spread into another after the id, it was copied property
 * by property (a page of 10 built in 8.5 µs instead of 2.9).
 */
const commonItem = (idKey: 'identifiantFactureCPP' | 'idFacture', r: invoices.ApiSearchRow): Record<string, unknown> => ({
  [idKey]: r.id,
  numeroFacture: r.number,
  statut: r.status,
  typeFacture: r.document_type,
  typeDemandePaiement: 'FACTURE',
  cadreFacturation: r.framework,
  dateFacture: r.invoice_date,
  dateDepot: r.deposited_day,
  dateHeureEtatCourant: r.status_changed_iso,
  devise: r.currency,
  montantHT: n(r.total_without_vat),
  montantTTC: n(r.total_with_vat),
  montantAPayer: n(r.amount_due),
  idFournisseur: r.supplier_structure_id,
  codeFournisseur: r.supplier_identifier,
  designationFournisseur: r.supplier_name,
  idDestinataire: r.recipient_structure_id,
  codeDestinataire: r.recipient_identifier,
  designationDestinataire: r.recipient_name,
  idServiceExecutant: r.service_id,
  codeServiceExecutant: r.service_code,
  nomServiceExecutant: r.service_name,
  numeroBonCommande: r.ej_number,
  modeDepot: r.deposit_mode,
});

/** factures/v1/rechercher/fournisseur: the invoices the caller's structure sent. */
export async function rechercherFournisseur(ctx: Ctx, caller: CproCaller, body: Body) {
  const p = readPagination(body.rechercheFactureParFournisseur ?? body.parametres, 'identifiantFactureCPP');
  const page = await searchPage(ctx, caller, 'EMISES', body, p, 'identifiantFactureCPP', (r) => {
    const item = commonItem('identifiantFactureCPP', r);
    item.numeroFluxDepot = r.extra;
    item.rejetTraite = r.status === 'REJETEE' ? r.reject_handled : null;
    item.commentaireEtatCourant = r.comment;
    return item;
  }, flowNumberColumn);
  return success({ listeFactures: page.items, parametresRetour: page.parametresRetour });
}

/** factures/v1/rechercher/recipiendaire: the invoices the caller's structure received (as its rights allow). */
export async function rechercherRecipiendaire(ctx: Ctx, caller: CproCaller, body: Body) {
  const p = readPagination(body.paramRecherche ?? body.parametres, 'idFacture');
  const page = await searchPage(ctx, caller, 'RECUES', body, p, 'idFacture', (r) => {
    const item = commonItem('idFacture', r);
    item.typeIdentifiantFournisseur = 'SIRET';
    return item;
  });
  return success({ listeFactures: page.items, ...page.parametresRetour, parametresRetour: page.parametresRetour });
}

type InvoiceRecord = Awaited<ReturnType<typeof invoices.getInvoice>>['invoice'];

/** The fields every consultation of an invoice carries, whoever consults it (supplier, recipient, validator). */
export function invoiceHeader(i: InvoiceRecord) {
  return {
    idFacture: i.id,
    numeroFacture: i.number,
    dateFacture: i.invoice_date,
    dateDepot: i.deposited_at ? parisDay(new Date(i.deposited_at)) : null,
    statutFacture: i.status,
    statutCourantCode: i.status,
    modeDepot: i.deposit_mode,
    typeFacture: i.document_type,
    commentaire: i.comment,
    fournisseur: { idFournisseur: i.supplier_structure_id, codeFournisseur: i.supplier_identifier, typeIdentifiantFournisseur: 'SIRET', raisonSocialeFournisseur: i.supplier_name },
  };
}

/** factures/v1/consulter/fournisseur and consulter/recipiendaire: the whole invoice. */
export async function consulter(ctx: Ctx, caller: CproCaller, body: Body, side: 'FOURNISSEUR' | 'DESTINATAIRE') {
  const id = requiredId(body, side === 'FOURNISSEUR' ? 'identifiantFactureCPP' : 'idFacture', side === 'FOURNISSEUR' ? 'idFacture' : 'identifiantFactureCPP');
  const g = (await invoices.readInvoiceAsSide(ctx, caller.actor, id, side, caller.structureId)) ?? (await slowRead(ctx, caller, id, side));
  const i = g.invoice;
  const main = g.documents.find((d) => d.role === 'PRINCIPALE');
  return success({
    identifiantFactureCPP: i.id,
    ...invoiceHeader(i),
    cadreDeFacturation: { codeCadreFacturation: i.framework },
    destinataire: { idDestinataire: i.recipient_structure_id, codeDestinataire: i.recipient_identifier, libelleDestinataire: i.recipient_name, idServiceExecutant: i.service_id, codeServiceExecutant: i.service_code, libelleServiceExecutant: i.service_name },
    references: {
      deviseFacture: i.currency, typeFacture: i.document_type, numeroBonCommande: i.ej_number, numeroFactureOrigine: i.original_invoice_number,
      dateEcheancePaiement: i.due_date, numeroDpMandat: i.mandate_number, tailleTotalePiecesJointes: g.documents.reduce((s, d) => s + Number(d.size_bytes), 0),
    },
    lignesDePoste: g.lines.map((l) => ({
      lignePosteNumero: l.position, lignePosteDenomination: l.description, lignePosteQuantite: n(l.quantity), lignePosteUnite: l.unit,
      lignePosteMontantUnitaireHT: n(l.unit_price), lignePosteMontantRemiseHT: n(l.discount_amount), lignePosteTauxTva: `TVA${Number(l.vat_rate).toString().replace('.', '_')}`,
      lignePosteTauxTvaManuel: n(l.vat_rate), lignePosteMontantHtApresRemise: n(l.net_amount),
    })),
    recapitulatifDeTva: g.vatBreakdown.map((b) => ({ tauxTva: n(b.vat_rate), montantBaseHtParTaux: n(b.taxable_amount), montantTvaParTaux: n(b.vat_amount) })),
    montantTotal: {
      montantHtTotal: n(i.total_without_vat), montantTVA: n(i.total_vat), montantTtcTotal: n(i.total_with_vat),
      montantTtcAvantRemiseGlobalTTC: n(i.total_with_vat), montantRemiseGlobaleTTC: 0, montantAPayer: n(i.amount_due),
    },
    pieceJointePrincipale: main ? [{ pieceJointePrincipaleDesignation: main.filename, pieceJointePrincipaleId: main.document_id }] : [],
    listeDesPiecesJointes: g.documents.map((d) => ({ pieceJointeDesignation: d.filename, pieceJointeType: d.role, pieceJointeId: d.document_id, pieceJointeTaille: Number(d.size_bytes), pieceJointeEmpreinte: d.sha256 })),
    empreinteCertificatDepot: g.depositCertificateSha256,
  });
}

/** When the quick read refuses, the whole invoice's refusal (with its reason), or its read after a race. */
async function slowRead(ctx: Ctx, caller: CproCaller, id: number, side: 'FOURNISSEUR' | 'DESTINATAIRE') {
  const g = await invoiceAs(ctx, caller, id, side);
  const deposit = g.path.find((e) => e.action === 'DEPOSER');
  return { ...g, depositCertificateSha256: (deposit?.data.certificateSha256 as string | undefined) ?? null };
}

const USER_ACTIONS: Record<string, string> = { TRAITER_REJET: 'TRAITEMENT_REJET' };

/** factures/v1/consulter/historique: statuses, user actions and complementary events of the invoice's path. */
export async function historique(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const g = await invoices.getInvoice(ctx, caller.actor, id);
  const who = (e: (typeof g.path)[number]) => {
    const [prenom, ...nom] = (e.actorName ?? '').split(' ');
    return { Nom: nom.join(' ') || null, Prenom: prenom || null, Email: e.actorEmail ?? null };
  };
  const statuts = g.path.filter((e) => (e.type === 'TRANSITION' || e.type === 'CREATION') && e.toStatus && (e.fromStatus !== e.toStatus || e.type === 'CREATION')).map((e) => {
    const u = who(e);
    return { histoStatutId: e.seq, histoStatutCode: e.toStatus, histoStatutCommentaire: [invoices.reasonLabel(e.action ?? '', e.reason), e.comment].filter(Boolean).join(' — ') || null, histoStatutDatePassage: e.createdAt.toISOString(), histoStatutUtilisateurNom: u.Nom, histoStatutUtilisateurPrenom: u.Prenom, histoStatutUtilisateurEmail: u.Email };
  });
  const actions = g.path.filter((e) => e.action && USER_ACTIONS[e.action]).map((e) => {
    const u = who(e);
    return { histoActionId: e.seq, histoActionCode: USER_ACTIONS[e.action!], histoActionDateHeure: e.createdAt.toISOString(), histoActionUtilisateurNom: u.Nom, histoActionUtilisateurPrenom: u.Prenom, histoActionUtilisateurEmail: u.Email };
  });
  const evenements = g.path.filter((e) => e.type !== 'TRANSITION' && e.type !== 'CREATION').map((e) => ({
    evenementId: e.seq, evenementDateHeure: e.createdAt.toISOString(), evenementLibelle: e.type === 'PIECE_JOINTE' ? `Pièce jointe ajoutée : ${String(e.data.filename ?? '')}` : e.type === 'MODIFICATION' ? 'Brouillon modifié' : e.type, evenementQui: e.actorName,
  }));
  const list = <T extends Record<string, unknown>>(items: T[], param: unknown) => {
    const p = readPagination(param);
    const page = pageOf(items, { ...p, sortColumn: null });
    return { items: page.items, ...page.parametresRetour };
  };
  const last = g.path.filter((e) => e.action).at(-1);
  const s = list(statuts, body.paramRechercheHistoStatuts);
  const a = list(actions, body.paramRechercheHistoActionsUtilisateurs);
  const ev = list(evenements, body.paramRechercheHistoEvenementsComplementaires);
  const { items: histoStatut, ...sp } = s;
  const { items: histoAction, ...ap } = a;
  const { items: evenement, ...ep } = ev;
  return success({
    idFacture: id, numeroFacture: g.invoice.number, modeDepot: g.invoice.deposit_mode, statutCourantCode: g.invoice.status,
    derniereAction: last ? { derniereActionCode: last.action, derniereActionId: last.seq } : null,
    historiquesDesStatuts: { histoStatut, ...sp },
    historiquesDesActionsUtilisateurs: { histoAction, ...ap },
    historiquesDesEvenementsComplementaires: { evenement, ...ep },
  });
}

/** factures/v1/traiter/recue: the recipient sets a new status, through the transition table. */
export async function traiterRecue(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idFacture', 'identifiantFactureCPP');
  const nouveauStatut = str(body.nouveauStatut);
  const action = nouveauStatut ? STATUT_TO_ACTION[nouveauStatut] : undefined;
  if (!nouveauStatut || !action)
    throw new CproError(CODE.DONNEES_INVALIDES, `[nouveauStatut] Statut « ${nouveauStatut ?? ''} » impossible pour un destinataire ; statuts possibles : ${Object.keys(STATUT_TO_ACTION).join(', ')}.`);
  await invoiceAs(ctx, caller, id, 'DESTINATAIRE');
  const motif = str(body.motif);
  const reasons = (invoices.REASONS as Record<string, ReadonlyArray<{ code: string; label: string }>>)[action];
  let reason: string | null = null;
  let comment: string | null = str(body.commentaire);
  if (reasons && motif) {
    const known = reasons.find((r) => r.code === motif.toUpperCase() || r.label.toLowerCase() === motif.toLowerCase());
    if (known) reason = known.code;
    else if (reasons.some((r) => r.code === 'AUTRE')) {
      reason = 'AUTRE';
      comment = [motif, comment].filter(Boolean).join(' — ');
    } else throw new CproError(CODE.DONNEES_INVALIDES, `[motif] Motif « ${motif} » inconnu ; motifs possibles : ${reasons.map((r) => r.code).join(', ')}.`);
  }
  const r = await invoices.actOnInvoice(ctx, caller.actor, id, { action, reason, comment, mandateNumber: str(body.numeroDPMandat) });
  const g = await invoices.getInvoice(ctx, caller.actor, id);
  return success({ idFacture: id, numeroFacture: g.invoice.number, nouveauStatut: r.status, dateTraitement: parisDay(ctx.clock.now()) });
}

/** factures/v1/traiterRejet: the supplier handles rejected invoices (« Traiter le rejet »). */
export async function traiterRejet(ctx: Ctx, caller: CproCaller, body: Body) {
  const ids = arr(body.listeDemandePaiement).map((d) => int(obj(d).idDemandePaiement));
  if (!ids.length || ids.some((x) => !x)) throw new CproError(CODE.DONNEES_INVALIDES, '[listeDemandePaiement.idDemandePaiement] Au moins une demande de paiement (identifiant numérique) est obligatoire.');
  const done = [];
  for (const id of ids as number[]) {
    await invoiceAs(ctx, caller, id, 'FOURNISSEUR');
    const r = await invoices.actOnInvoice(ctx, caller.actor, id, { action: 'TRAITER_REJET', comment: [str(body.motifRejet), str(body.cpltInfos)].filter(Boolean).join(' — ') || null });
    done.push({ idDemandePaiement: id, statut: r.status });
  }
  return success({ listeDemandePaiement: done });
}

/** The files of invoices for a download: the main PDF, and the complementary ones if asked. */
async function invoiceFiles(ctx: Ctx, caller: CproCaller, ids: number[], withComplements: boolean) {
  const out: Array<{ invoiceId: number; number: string; filename: string; bytes: Uint8Array }> = [];
  for (const id of ids) {
    const g = await invoices.getInvoice(ctx, caller.actor, id);
    const docs = g.documents.filter((d) => d.role === 'PRINCIPALE' || withComplements);
    if (!g.documents.some((d) => d.role === 'PRINCIPALE'))
      throw notAvailable('telecharger/groupe', `la facture ${g.invoice.number} a été saisie (sans PDF) et la restitution PDF d'une facture saisie n'existe pas encore.`);
    for (const d of docs) {
      const doc = await invoices.getInvoiceDocument(ctx, caller.actor, id, d.document_id);
      out.push({ invoiceId: id, number: g.invoice.number, filename: doc.filename, bytes: doc.bytes });
    }
  }
  return out;
}

const MAX_GROUP_BYTES = 120 * 1024 * 1024;

/** factures/v1/telecharger/groupe: one PDF, or a ZIP with one folder per invoice. */
export async function telechargerGroupe(ctx: Ctx, caller: CproCaller, body: Body) {
  const ids = arr(body.listeFacture).map((f) => int(obj(f).idFacture));
  if (!ids.length || ids.some((x) => !x)) throw new CproError(CODE.DONNEES_INVALIDES, '[listeFacture.idFacture] Au moins une facture est obligatoire.');
  const format = str(body.format) ?? 'PDF';
  if (format === 'PIVOT') throw notAvailable('telecharger/groupe', 'le format PIVOT n’existe pas sur cette plateforme ; demandez le format PDF.');
  if (format !== 'PDF') throw new CproError(CODE.DONNEES_INVALIDES, `[format] Format « ${format} » inconnu : PDF ou PIVOT.`);
  const files = await invoiceFiles(ctx, caller, ids as number[], bool(body.avecPiecesJointesComplementaires));
  const total = files.reduce((s, f) => s + f.bytes.byteLength, 0);
  if (total > MAX_GROUP_BYTES) throw new CproError(CODE.DONNEES_INVALIDES, 'Le dossier de facturation demandé dépasse 120 Mo.', 413);
  if (files.length === 1) return success({ fichierResultat: Buffer.from(files[0]!.bytes).toString('base64'), nomFichier: files[0]!.filename, typeFichier: 'PDF' });
  const tree: Record<string, Record<string, Uint8Array>> = {};
  for (const f of files) (tree[`${f.invoiceId}_${f.number.replace(/[^A-Za-z0-9_-]/g, '_')}`] ??= {})[f.filename] = f.bytes;
  return success({ fichierResultat: Buffer.from(zipSync(tree, { level: 6 })).toString('base64'), nomFichier: 'factures.zip', typeFichier: 'ZIP' });
}

/** transverses/v1/telecharger/pieceJointe for DEMANDE_PAIEMENT: the same files as telecharger/groupe. */
export async function telechargerPieceJointe(ctx: Ctx, caller: CproCaller, body: Body) {
  const objet = str(body.objetPieceJointe);
  if (objet !== 'DEMANDE_PAIEMENT')
    throw notAvailable('transverses/v1/telecharger/pieceJointe', `les pièces jointes de type « ${objet ?? ''} » ne sont pas disponibles (seul DEMANDE_PAIEMENT l'est).`);
  const r = await telechargerGroupe(ctx, caller, { ...obj(body.demandePaiement) });
  return success({ pieceJointe: r.fichierResultat, nomFichier: r.nomFichier });
}

/** The structure of the caller must exist (it always does unless deleted meanwhile). */
export async function callerStructure(ctx: Ctx, caller: CproCaller) {
  const s = await findStructure(ctx.db, caller.structureId);
  if (!s) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  return s;
}
