import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { exportDirectory, searchDirectory } from '../directory/index.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError, pageOf, parametresRetour, readPagination, success } from './envelope.ts';
import { int, obj, requiredId, str, type Body } from './input.ts';
import { publicStructure, structuresByIdentifiers } from './repository.ts';

/**
 * structures/v1, utilisateurs/v1, engagementsJuridiques/v1 and the directory operations of transverses/v1,
 * over the structures and directory use cases. A caller sees its own structure fully, and of the others what
 * the public directory shows (active public structures).
 */

const statut = (s: string) => (s === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE');

/** The structure as the caller may see it: its own (member), or an active public one; 20107 otherwise. */
async function visibleStructure(ctx: Ctx, caller: CproCaller, id: number) {
  if (id === caller.structureId) return (await structures.getStructure(ctx, caller.actor, id)).structure;
  const s = await publicStructure(ctx.db, id);
  if (!s) throw new CproError(CODE.STRUCTURE_INTROUVABLE, `[idStructureCPP] La structure ${id} est introuvable (ou n'est pas une structure publique active).`);
  return s;
}

/** structures/v1/rechercher: the directory of public recipients (and the caller's own structure). */
export async function rechercherStructures(ctx: Ctx, caller: CproCaller, body: Body) {
  const s = obj(body.structure);
  const p = readPagination(body.parametres, null);
  const identifiant = str(s.identifiantStructure)?.replace(/\s/g, '');
  const name = str(s.raisonSocialeStructure) ?? str(s.libelleStructure) ?? str(s.nomStructure);
  const postcode = str(s.adresseCodePostal);
  const entries = await searchDirectory(ctx, { siret: identifiant && /^\d{3,14}$/.test(identifiant) ? identifiant : undefined, name: name ?? undefined, postcode: postcode ?? undefined, page: 1, pageSize: 100 });
  const ids = new Map((await structuresByIdentifiers(ctx.db, entries.results.map((e) => e.siret))).map((r) => [r.identifier, r.id]));
  let items = entries.results.map((e) => ({ idStructureCPP: ids.get(e.siret) ?? null, identifiantStructure: e.siret, designationStructure: e.name, typeIdentifiantStructure: 'SIRET', statut: 'ACTIVE' }));
  const own = (await structures.getStructure(ctx, caller.actor, caller.structureId)).structure;
  const ownMatches = (!identifiant || own.identifier.startsWith(identifiant)) && (!name || own.name.toLowerCase().includes(name.toLowerCase())) && (!postcode || (own.postcode ?? '').startsWith(postcode));
  if (ownMatches && !items.some((i) => i.idStructureCPP === own.id) && !(bool(body.restreindreStructuresPrivees) && own.kind === 'PRIVEE'))
    items = [{ idStructureCPP: own.id, identifiantStructure: own.identifier, designationStructure: own.name, typeIdentifiantStructure: own.identifier_type, statut: statut(own.status) }, ...items];
  const typeStructure = str(s.typeStructure);
  if (typeStructure === 'PRIVEE') items = items.filter((i) => i.idStructureCPP === own.id && own.kind === 'PRIVEE');
  const page = pageOf(items, p);
  return success({ listeStructures: page.items, parametresRetour: page.parametresRetour });
}
const bool = (v: unknown) => v === true || v === 'true';

/** structures/v1/consulter: general information, head-office address and invoicing parameters. */
export async function consulterStructure(ctx: Ctx, caller: CproCaller, body: Body) {
  const s = await visibleStructure(ctx, caller, requiredId(body, 'idStructureCPP', 'idStructure'));
  return success({
    idStructureCPP: s.id,
    informationGenerales: {
      idStructureCPP: s.id, identifiantStructure: s.identifier, typeIdentifiantStructure: s.identifier_type, raisonSociale: s.name, libelleStructure: s.name,
      numeroTva: s.vat_number, siren: s.siren, courriel: s.contact_email, typeStructure: s.kind, statut: statut(s.status),
    },
    adressePostaleDuSiege: { ligneAdresse1: s.address_line, codePostal: s.postcode, ville: s.city, codePays: s.country_code },
    parametres: {
      codeServiceDoitEtreRenseigne: s.code_service_doit_etre_renseigne,
      numeroEJDoitEtreRenseigne: s.numero_ej_doit_etre_renseigne,
      gestionNumeroEJOuCodeService: s.gestion_numero_ej_ou_code_service,
      statutMiseEnPaiementNestPasRemonte: s.statut_mise_en_paiement_ne_remonte_pas,
      estMOA: s.est_moa,
      estMOAUniquement: s.est_moa_uniquement,
    },
  });
}

/** The services of a visible structure (active and valid today for others than the caller's own). */
async function servicesOf(ctx: Ctx, caller: CproCaller, structureId: number) {
  await visibleStructure(ctx, caller, structureId);
  const all = await structures.listServicesOf(ctx.db, structureId);
  const today = structures.parisIsoDay(ctx.clock.now());
  return structureId === caller.structureId ? all : all.filter((sv) => structures.serviceIsValidOn(sv, today));
}

/** structures/v1/rechercher/services. */
export async function rechercherServices(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = requiredId(body, 'idStructure', 'idStructureCPP');
  const items = (await servicesOf(ctx, caller, id)).map((sv) => ({
    idService: sv.id, codeService: sv.code, libelleService: sv.name, estActif: sv.active, dateDebutValidite: sv.valid_from, dateFinValidite: sv.valid_to,
  }));
  const page = pageOf(items, readPagination(body.parametresRechercherServicesStructure ?? body.parametres, null));
  return success({ listeServices: page.items, parametresRetour: page.parametresRetour });
}

/** structures/v1/consulter/service. */
export async function consulterService(ctx: Ctx, caller: CproCaller, body: Body) {
  const structureId = requiredId(body, 'idStructure', 'idStructureCPP');
  const serviceId = requiredId(body, 'idService');
  const sv = (await servicesOf(ctx, caller, structureId)).find((x) => x.id === serviceId);
  if (!sv) throw new CproError(CODE.STRUCTURE_INTROUVABLE, `[idService] Le service ${serviceId} est introuvable dans la structure ${structureId}.`);
  return success({
    idService: sv.id, codeService: sv.code, libelleService: sv.name, descriptionService: sv.description, estActif: sv.active,
    dateDebutService: sv.valid_from, dateFinService: sv.valid_to,
    parametres: { numeroEngagement: sv.numero_ej_doit_etre_renseigne, dateCreation: new Date(sv.created_at).toISOString(), dateModification: new Date(sv.updated_at).toISOString() },
  });
}

/** structures/v1/rechercher/espaces: the spaces of the caller's structure and its right in each. */
export async function rechercherEspaces(ctx: Ctx, caller: CproCaller, body: Body) {
  const id = int(body.idStructure) ?? caller.structureId;
  const r = await structures.listMySpaces(ctx, caller.actor, id);
  const items = r.spaces.map((s) => ({ codeEspace: s.space, libelleEspace: s.label, etatCourant: 'ACTIVE', typeHabilitation: s.access, idServices: s.serviceIds }));
  const page = pageOf(items, readPagination(body.parametres, null));
  return success({ listeEspaces: page.items, parametresRetour: page.parametresRetour });
}

/** structures/v1/lister/rattachementsutilisateur and utilisateurs/v1/monCompte/recuperer/rattachements. */
export async function rattachements(ctx: Ctx, caller: CproCaller, body: Body) {
  const rows = await structures.listMyRattachements(ctx, caller.actor);
  const items = rows.map((r) => ({
    idStructure: r.structure_id, identifiantStructure: r.structure_identifier, designationStructure: r.structure_name, statutRattachement: r.status,
    estGestionnairePrincipal: r.role === 'GESTIONNAIRE_PRINCIPAL',
    listeServicesRattache: (r.services ?? []).map((s: { id: number; code: string; name: string }) => ({ idService: s.id, codeService: s.code, libelleService: s.name, statutRattachementService: r.status })),
  }));
  const page = pageOf(items, readPagination(body.parametresRecherche ?? body.parametres, null));
  return success({ listeRattachements: page.items, parametresRetour: page.parametresRetour });
}

/** engagementsJuridiques/v1/rechercher: the engagements register of the caller's (public) structure. */
export async function rechercherEngagements(ctx: Ctx, caller: CproCaller, body: Body) {
  const structureId = int(body.structureReceptriceEngagementJuridique) ?? caller.structureId;
  if (structureId !== caller.structureId)
    throw new CproError(CODE.DROITS_INSUFFISANTS, `[structureReceptriceEngagementJuridique] Le registre des engagements de la structure ${structureId} n'est consultable que par ses membres.`);
  const p = readPagination(body.parametres ?? body.parametresRecherche, null);
  const r = await structures.searchEngagements(ctx, caller.actor, structureId, {
    number: str(body.numeroEngagementJuridique) ?? undefined, state: (str(body.etatCourantEngagementJuridique) ?? undefined) as never, page: p.page, pageSize: p.perPage,
  });
  return success({
    listeEngagementJuridique: r.engagements.map((e) => ({
      idEngagementJuridique: e.id, numeroEngagementJuridique: e.number, etatCourantEngagementJuridique: e.state, montantEngagementJuridique: e.amount === null ? null : Number(e.amount),
      deviseEngagementJuridique: e.currency, objetEngagementJuridique: e.subject, codeServiceEngagementJuridique: e.service_code,
      identifiantFournisseur: e.supplier_siret, raisonSocialeFournisseur: e.supplier_name, dateCreation: new Date(e.created_at).toISOString(),
    })),
    parametresRetour: parametresRetour(p, r.total),
  });
}

/** transverses/v1/rechercher/destinataire: the public directory. */
export async function rechercherDestinataire(ctx: Ctx, _caller: CproCaller, body: Body) {
  const p = readPagination(body.parametresRecherche ?? body.parametres, null);
  const identifiant = str(body.identifiant)?.replace(/\s/g, '');
  const q = str(body.nomVilleCodePostal);
  const page = await searchDirectory(ctx, {
    siret: identifiant ?? undefined,
    name: q && !/^\d/.test(q) ? q : undefined,
    postcode: q && /^\d/.test(q) ? q : undefined,
    page: p.page,
    pageSize: Math.min(p.perPage, 100),
  });
  const ids = new Map((await structuresByIdentifiers(ctx.db, page.results.map((e) => e.siret))).map((r) => [r.identifier, r.id]));
  return success({
    listeDestinataires: page.results.map((e) => ({ idStructureCPP: ids.get(e.siret) ?? null, siret: e.siret, nomDestinataire: e.name, adresseCodePostal: e.postcode, adresseVille: e.city })),
    parametresRetour: parametresRetour({ ...p, perPage: page.pageSize }, page.total),
  });
}

/** transverses/v1/telecharger/annuaire/destinataire: the directory file (CSV, base64). */
export async function telechargerAnnuaire(ctx: Ctx) {
  const r = await exportDirectory(ctx);
  return success({ fichierResultat: Buffer.from(r.csv, 'utf8').toString('base64'), nomFichier: r.filename });
}

/** transverses/v1/recuperer/structures/actives/{fournisseur,destinataire}: the caller's active structures for a side. */
export async function structuresActives(ctx: Ctx, caller: CproCaller, side: 'FOURNISSEUR' | 'DESTINATAIRE') {
  const rows = await structures.listStructuresOfUser(ctx.db, caller.actor.userId);
  const items = [];
  for (const r of rows) {
    if (r.status !== 'ACTIVE' || (side === 'DESTINATAIRE' && r.kind !== 'PUBLIQUE')) continue;
    const spaces = await structures.listMySpaces(ctx, caller.actor, r.id);
    const space = side === 'FOURNISSEUR' ? 'FACTURES_EMISES' : 'FACTURES_RECUES';
    if (spaces.spaces.some((s) => s.space === space)) items.push({ idStructureCPP: r.id, identifiant: r.identifier, designationStructure: r.name });
  }
  return success({ listeStructures: items });
}
