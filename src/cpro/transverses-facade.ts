import type { Ctx } from '../context.ts';
import { extractInvoiceFromPdf, FormatError } from '../formats/index.ts';
import { ATTACHMENT_RULES, FRAMEWORK_LABELS, xsdRefusal } from '../invoices/index.ts';
import { parseInvoiceTree, readInvoiceTree, type XsdValidator } from '../validation/index.ts';
import type { CproCaller } from './caller.ts';
import { storeAttachment } from './attachments.ts';
import { CODE, CproError, notAvailable, success } from './envelope.ts';
import { base64File, str, type Body } from './input.ts';
import { motifsRefusFactureAValider } from './validator-facade.ts';
import {
  CPRO_FRAMEWORKS, DEVISES, FORMATS_FLUX, MODES_DEPOT, MODES_PAIEMENT, MOTIFS_EXONERATION_TVA, PAYS, TAUX_TVA, TYPES_IDENTIFIANT, TYPES_PJ,
  etatsDemandePaiement, statutsPossiblesPourTraitement,
} from './references.ts';

/** transverses/v1 reference lists (recuperer/…), files (ajouter/fichier) and factures/v1/deposer/pdf. */

/** Each reference list by its path under transverses/v1/recuperer/. */
export const REFERENCE_LISTS: Record<string, (body: Body) => object> = {
  cadrefacturation: (b) => {
    const type = str(b.typeDemandePaiement) ?? 'FACTURE';
    if (type !== 'FACTURE') throw notAvailable('recuperer/cadrefacturation', `le type de demande de paiement « ${type} » n'existe pas encore (seul FACTURE existe).`);
    return { listeCadreFacturation: CPRO_FRAMEWORKS.map((c) => ({ codeCadreFacturation: c, libelleCadreFacturation: FRAMEWORK_LABELS[c] })) };
  },
  devises: () => ({ listeDevises: DEVISES }),
  'etat/typedp': (b) => {
    const type = str(b.typeDemandePaiement) ?? 'FACTURE';
    if (type !== 'FACTURE') throw notAvailable('recuperer/etat/typedp', `le type de demande de paiement « ${type} » n'existe pas encore.`);
    return { listeEtatDemandePaiement: etatsDemandePaiement().map((e) => ({ etatDemandePaiement: e })) };
  },
  'etats/traitement': (b) => {
    const statut = str(b.statutCourant);
    if (!statut) throw new CproError(CODE.DONNEES_INVALIDES, '[statutCourant] Le statut courant est obligatoire.');
    return { listeStatutsPossiblesPourTraitement: statutsPossiblesPourTraitement(statut).map((s) => ({ statutPossiblePourTraitement: s })) };
  },
  formatflux: () => ({ listeFormatFlux: FORMATS_FLUX.map((f) => ({ formatFlux: f })) }),
  modedepot: () => ({ listeModeDepot: MODES_DEPOT.map((m) => ({ modeDepot: m })) }),
  modereglements: () => ({ listeModePaiement: MODES_PAIEMENT.map((m) => ({ modePaiement: m })) }),
  'motifs/refus/Facture/AValider': motifsRefusFactureAValider,
  'motifs/exonerationtva': () => ({ listeMotifsExonerationTva: MOTIFS_EXONERATION_TVA }),
  pays: () => ({ listePays: PAYS }),
  tauxtva: () => ({ listeTauxTva: TAUX_TVA }),
  typedp: () => ({ listeTypeDemandePaiement: [{ typeDemandePaiement: 'FACTURE' }] }),
  'typeidentifiant/structure': () => ({ listeTypeIdentifiant: TYPES_IDENTIFIANT.map((t) => ({ typeIdentifiantStructure: t })) }),
  typespj: () => ({ listeTypePieceJointe: TYPES_PJ }),
};

/** Reference lists whose business does not exist yet on the platform, with the reason. */
export const UNAVAILABLE_LISTS: Record<string, string> = {
  'coordbanc/valides': "les coordonnées bancaires des structures ne sont pas encore gérées par la plateforme.",
};

const extensionOf = (name: string) => (name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.') + 1).toUpperCase() : '');

/** transverses/v1/ajouter/fichier: keeps a file and answers its pieceJointeId. */
export async function ajouterFichier(ctx: Ctx, caller: CproCaller, body: Body) {
  const bytes = base64File(body.pieceJointeFichier, 'pieceJointeFichier');
  const ext = (str(body.pieceJointeExtension) ?? '').replace(/^\./, '').toUpperCase();
  let name = str(body.pieceJointeNom) ?? '';
  if (!name) throw new CproError(CODE.DONNEES_INVALIDES, '[pieceJointeNom] Le nom du fichier est obligatoire.');
  if (ext && extensionOf(name) !== ext) name = `${name}.${ext.toLowerCase()}`;
  const finalExt = extensionOf(name);
  if (!finalExt) throw new CproError(CODE.DONNEES_INVALIDES, `[pieceJointeExtension] Le fichier « ${name} » doit avoir une extension.`);
  if (!(ATTACHMENT_RULES.extensions as readonly string[]).includes(finalExt)) throw new CproError(CODE.DONNEES_INVALIDES, `[pieceJointeExtension] L'extension « .${finalExt.toLowerCase()} » n'est pas autorisée.`);
  if (name.length > ATTACHMENT_RULES.maxNameLength) throw new CproError(CODE.DONNEES_INVALIDES, `[pieceJointeNom] Le nom du fichier « ${name} » dépasse ${ATTACHMENT_RULES.maxNameLength} caractères (extension comprise).`);
  const id = await storeAttachment(ctx, caller, { bytes, filename: name, mediaType: str(body.pieceJointeTypeMime) ?? 'application/octet-stream' });
  return success({ pieceJointeId: id });
}

const FORMATS_DEPOT = ['PDF_NON_SIGNE', 'PDF_SIGNE_PADES', 'PDF_SIGNE_XADES'];

/**
 * factures/v1/deposer/pdf: keeps the PDF and answers its pieceJointeId with the invoice header. There is no
 * OCR: the header is read from the embedded XML when the PDF is a Factur-X, and left empty otherwise. A Factur-X
 * whose XML fails its schema (XSD, as a structured deposit checks it) is refused: DONNEES_INVALIDES, the schema
 * errors in French.
 */
export async function deposerPdf(ctx: Ctx, caller: CproCaller, body: Body) {
  const bytes = base64File(body.fichierFacture, 'fichierFacture');
  const formatDepot = str(body.formatDepot) ?? 'PDF_NON_SIGNE';
  if (!FORMATS_DEPOT.includes(formatDepot)) throw new CproError(CODE.DONNEES_INVALIDES, `[formatDepot] Format « ${formatDepot} » inconnu : ${FORMATS_DEPOT.join(', ')}.`);
  let name = str(body.nomFichier) ?? 'facture.pdf';
  if (name.length > 200) throw new CproError(CODE.DONNEES_INVALIDES, '[nomFichier] Le nom du fichier dépasse 200 caractères.');
  if (!/\.pdf$/i.test(name)) name = `${name}.pdf`;
  if (name.length > ATTACHMENT_RULES.maxNameLength) name = `${name.slice(0, ATTACHMENT_RULES.maxNameLength - 4)}.pdf`;
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new CproError(CODE.DONNEES_INVALIDES, '[fichierFacture] Le fichier n’est pas un PDF.');
  const header = await facturxHeader(bytes, ctx.xsd);
  const pieceJointeId = await storeAttachment(ctx, caller, { bytes, filename: name, mediaType: 'application/pdf' });
  return success({ pieceJointeId, ...header });
}

async function facturxHeader(pdf: Uint8Array, xsd: XsdValidator | null) {
  const empty = { numeroFacture: null, dateFacture: null, codeDestinataire: null, codeServiceExecutant: null, codeFournisseur: null, codeDeviseFacture: null, typeFacture: null, typeTva: null, numeroBonCommande: null, montantHtTotal: null, montantTVA: null, montantTtcTotal: null, montantAPayer: null };
  try {
    const embedded = await extractInvoiceFromPdf(pdf);
    const { text, utf8, tree } = parseInvoiceTree(embedded.xml);
    const refusal = xsd ? await xsdRefusal(xsd, utf8 ?? text, tree) : null;
    if (refusal)
      throw new CproError(CODE.DONNEES_INVALIDES, `[fichierFacture] ${refusal.message.replace(/^Le fichier/, `Le Factur-X (${embedded.filename})`)} Détail : ${refusal.errors.map((e) => e.message).join(' ; ')}`);
    const { invoice: i } = readInvoiceTree(tree);
    const siret = (ids: Array<{ id: string; schemeId?: string }>, legal?: { id: string }) => ids.find((x) => x.schemeId === '0009')?.id ?? legal?.id ?? ids[0]?.id ?? null;
    const num = (d: { toString(): string } | undefined) => (d === undefined ? null : Number(d.toString()));
    return {
      numeroFacture: i.number, dateFacture: i.issueDate, codeDestinataire: siret(i.buyer.identifiers, i.buyer.legalRegistration), codeServiceExecutant: i.buyerReference ?? null,
      codeFournisseur: siret(i.seller.identifiers, i.seller.legalRegistration), codeDeviseFacture: i.currency, typeFacture: i.typeCode === '381' ? 'AVOIR' : 'FACTURE',
      typeTva: i.vatBreakdown.length === 0 ? 'SANS_TVA' : i.vatBreakdown.some((b) => b.categoryCode === 'E') ? 'EXONERATION' : 'TVA_SUR_DEBIT',
      numeroBonCommande: i.purchaseOrderReference ?? null, montantHtTotal: num(i.totals.taxExclusiveAmount), montantTVA: num(i.totals.vatTotal),
      montantTtcTotal: num(i.totals.taxInclusiveAmount), montantAPayer: num(i.totals.payableAmount),
    };
  } catch (err) {
    if (err instanceof CproError) throw err;
    // A plain PDF (no embedded invoice) or an unreadable XML: no header, the integrator types it in soumettre.
    if (err instanceof FormatError || err instanceof Error) return empty;
    throw err;
  }
}
