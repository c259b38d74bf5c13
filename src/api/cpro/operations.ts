import type { Ctx } from '../../context.ts';
import { success, consulterCR, consulterCRDetaille, deposerFlux, factures, notAvailable, structuresApi, transverses, travaux, valideur, type Body, type CproCaller } from '../../cpro/index.ts';

export type Operation = (ctx: Ctx, caller: CproCaller, body: Body) => Promise<object> | object;

/**
 * Every POST operation of §4.3, by path under /cpro. An operation whose business the platform does not have
 * answers a clear « non disponible » error in the envelope (codeRetour 20199), never a fake success.
 * docs/api-cpro.md lists them with their status.
 */
export const OPERATIONS: Record<string, Operation> = {
  // factures/v1
  'factures/v1/soumettre': (ctx, c, b) => (travaux.isWorksSubmission(b) ? travaux.soumettre(ctx, c, b) : factures.soumettre(ctx, c, b)),
  'factures/v1/deposer/pdf': transverses.deposerPdf,
  'factures/v1/deposer/flux': deposerFlux,
  'factures/v1/completer': factures.completer,
  'factures/v1/recycler': factures.recycler,
  'factures/v1/rechercher/fournisseur': factures.rechercherFournisseur,
  'factures/v1/rechercher/recipiendaire': factures.rechercherRecipiendaire,
  'factures/v1/consulter/fournisseur': (ctx, c, b) => travaux.consulter(ctx, c, b, 'FOURNISSEUR'),
  'factures/v1/consulter/recipiendaire': (ctx, c, b) => travaux.consulter(ctx, c, b, 'DESTINATAIRE'),
  'factures/v1/consulter/historique': factures.historique,
  'factures/v1/traiter/recue': (ctx, c, b) => (travaux.isWorksStatus(b) ? travaux.traiterRecue(ctx, c, b) : factures.traiterRecue(ctx, c, b)),
  'factures/v1/traiterRejet': factures.traiterRejet,
  'factures/v1/telecharger/groupe': factures.telechargerGroupe,
  'factures/v1/corriger/valideur/facture': valideur.corrigerValideur,
  'factures/v1/rechercher/valideur': valideur.rechercherValideur,
  'factures/v1/consulter/valideur': valideur.consulterValideur,
  'factures/v1/traiter/factureAValider': valideur.traiterFactureAValider,
  'factures/v1/recuperer/statutsFactureVisibles/valideur': () => valideur.statutsFactureVisiblesValideur(),
  'factures/v1/rechercher/demandePaiement': travaux.rechercherDemandePaiement,
  // structures/v1
  'structures/v1/rechercher': structuresApi.rechercherStructures,
  'structures/v1/consulter': structuresApi.consulterStructure,
  'structures/v1/rechercher/services': structuresApi.rechercherServices,
  'structures/v1/consulter/service': structuresApi.consulterService,
  'structures/v1/rechercher/espaces': structuresApi.rechercherEspaces,
  'structures/v1/lister/rattachementsutilisateur': structuresApi.rattachements,
  // utilisateurs/v1
  'utilisateurs/v1/monCompte/recuperer/rattachements': structuresApi.rattachements,
  // engagementsJuridiques/v1
  'engagementsJuridiques/v1/rechercher': structuresApi.rechercherEngagements,
  // transverses/v1
  'transverses/v1/rechercher/destinataire': structuresApi.rechercherDestinataire,
  'transverses/v1/telecharger/annuaire/destinataire': (ctx) => structuresApi.telechargerAnnuaire(ctx),
  'transverses/v1/ajouter/fichier': transverses.ajouterFichier,
  'transverses/v1/consulterCR': consulterCR,
  'transverses/v1/consulterCRDetaille': consulterCRDetaille,
  'transverses/v1/telecharger/pieceJointe': factures.telechargerPieceJointe,
  'transverses/v1/recuperer/structures/actives/fournisseur': (ctx, c) => structuresApi.structuresActives(ctx, c, 'FOURNISSEUR'),
  'transverses/v1/recuperer/structures/actives/destinataire': (ctx, c) => structuresApi.structuresActives(ctx, c, 'DESTINATAIRE'),
  'transverses/v1/recuperer/structures/actives/facturetravaux': (ctx, c) => travaux.structuresActivesFactureTravaux(ctx, c),
  'transverses/v1/recuperer/typefacturetravaux': () => success(travaux.typesFactureTravaux()),
  'transverses/v1/rechercher/pj/moncompte': () => { throw notAvailable('transverses/v1/rechercher/pj/moncompte', 'les pièces jointes de compte utilisateur n’existent pas sur cette plateforme.'); },
  'transverses/v1/rechercher/pj/structure': () => { throw notAvailable('transverses/v1/rechercher/pj/structure', 'les pièces jointes de structure n’existent pas sur cette plateforme.'); },
  'transverses/v1/consulter/information/siret': () => { throw notAvailable('transverses/v1/consulter/information/siret', 'la plateforme fonctionne hors ligne, sans accès au répertoire SIRENE de l’INSEE.'); },
  'transverses/v1/rechercher/categorieSollicitation': () => { throw notAvailable('transverses/v1/rechercher/categorieSollicitation', 'les sollicitations n’existent pas encore.'); },
  'transverses/v1/rechercher/sousCategorieSollicitation': () => { throw notAvailable('transverses/v1/rechercher/sousCategorieSollicitation', 'les sollicitations n’existent pas encore.'); },
};

for (const [path, list] of Object.entries(transverses.REFERENCE_LISTS)) OPERATIONS[`transverses/v1/recuperer/${path}`] = (_ctx, _c, b) => ({ codeRetour: 0, libelle: 'TRA_MSG_00.000', ...list(b) });
for (const [path, why] of Object.entries(transverses.UNAVAILABLE_LISTS)) OPERATIONS[`transverses/v1/recuperer/${path}`] = () => { throw notAvailable(`transverses/v1/recuperer/${path}`, why); };

/** Operations that receive files in base64: a larger body than the server's default. */
export const LARGE_BODIES: Record<string, number> = {
  'factures/v1/deposer/pdf': 16 * 1024 * 1024,
  'transverses/v1/ajouter/fichier': 16 * 1024 * 1024,
  'factures/v1/soumettre': 4 * 1024 * 1024,
  'factures/v1/deposer/flux': 210 * 1024 * 1024,
};
