import type { Ctx } from '../context.ts';
import { createActiveUser, findUserByEmail } from '../accounts/index.ts';
import { createRequest, publishRequest } from '../dume/index.ts';
import { createContract } from '../contracts/index.ts';
import { createWorksContract } from '../works/index.ts';
import { attachUser, createEngagement, createService, createStructure, createTechnicalAccount, editStructure, type TechnicalCredentials } from '../structures/index.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from './works-example.ts';

/** One password for every demonstration account (it satisfies the password rules). */
export const DEMO_PASSWORD = 'Demo-Ouvrage-2026!';

export const demoLogins = [
  { email: 'marie.durand@btp-durand.demo', role: 'Entreprise (fournisseur) — BTP Durand, gestionnaire principal' },
  { email: 'paul.durand@btp-durand.demo', role: 'Entreprise — BTP Durand, utilisateur' },
  { email: 'claire.bernard@villeneuve.demo', role: 'Acheteur public — Commune de Villeneuve, gestionnaire principale' },
  { email: 'hugo.martin@atelier-martin.demo', role: "Architecte (maître d'œuvre) — Atelier Martin" },
  { email: 'sophie.leroy@oph-villeneuve.demo', role: "Maître d'ouvrage public — OPH de Villeneuve" },
  { email: 'karim.petit@elec-petit.demo', role: 'Sous-traitant — Électricité Petit' },
  { email: 'lea.moreau@plomberie-moreau.demo', role: 'Cotraitant — Plomberie Moreau' },
] as const;

export const DEMO = {
  supplier: { siret: '80123456800013', name: 'BTP Durand' },
  buyer: { siret: '21345678300017', name: 'Commune de Villeneuve' },
  architect: { siret: '78912345200011', name: 'Atelier Martin Architectes' },
  owner: { siret: '24700123300011', name: 'OPH de Villeneuve' },
  subcontractor: { siret: '51234567900017', name: 'Électricité Petit' },
  coContractor: { siret: '43219876000014', name: 'Plomberie Moreau' },
} as const;

/** The demonstration contract linking the groupement, its co-contractor and its subcontractor. */
export const DEMO_CONTRACT = { number: 'MAPA-2026-014' } as const;

export async function isSeeded(ctx: Ctx): Promise<boolean> {
  return !!(await findUserByEmail(ctx.db, demoLogins[0].email));
}

async function person(ctx: Ctx, email: string, firstName: string, lastName: string) {
  const { userId } = await createActiveUser(ctx, { email, firstName, lastName, password: DEMO_PASSWORD });
  return { userId, isTechnical: false };
}

/** Demonstration data: every kind of party of a public works contract, with their users. */
export async function seedDemo(ctx: Ctx): Promise<TechnicalCredentials> {
  const marie = await person(ctx, demoLogins[0].email, 'Marie', 'Durand');
  const paul = await person(ctx, demoLogins[1].email, 'Paul', 'Durand');
  const claire = await person(ctx, demoLogins[2].email, 'Claire', 'Bernard');
  const hugo = await person(ctx, demoLogins[3].email, 'Hugo', 'Martin');
  const sophie = await person(ctx, demoLogins[4].email, 'Sophie', 'Leroy');
  const karim = await person(ctx, demoLogins[5].email, 'Karim', 'Petit');
  const lea = await person(ctx, demoLogins[6].email, 'Léa', 'Moreau');

  const supplier = await createStructure(ctx, marie, { identifierType: 'SIRET', identifier: DEMO.supplier.siret, name: DEMO.supplier.name, kind: 'PRIVEE', addressLine: '12 rue des Artisans', postcode: '47300', city: 'Villeneuve-sur-Lot' });
  const buyer = await createStructure(ctx, claire, { identifierType: 'SIRET', identifier: DEMO.buyer.siret, name: DEMO.buyer.name, kind: 'PUBLIQUE', addressLine: "Place de l'Hôtel de ville", postcode: '47300', city: 'Villeneuve-sur-Lot' });
  await createStructure(ctx, hugo, { identifierType: 'SIRET', identifier: DEMO.architect.siret, name: DEMO.architect.name, kind: 'PRIVEE', postcode: '47000', city: 'Agen' });
  const owner = await createStructure(ctx, sophie, { identifierType: 'SIRET', identifier: DEMO.owner.siret, name: DEMO.owner.name, kind: 'PUBLIQUE', postcode: '47300', city: 'Villeneuve-sur-Lot' });
  await createStructure(ctx, karim, { identifierType: 'SIRET', identifier: DEMO.subcontractor.siret, name: DEMO.subcontractor.name, kind: 'PRIVEE', postcode: '47300', city: 'Villeneuve-sur-Lot' });
  await createStructure(ctx, lea, { identifierType: 'SIRET', identifier: DEMO.coContractor.siret, name: DEMO.coContractor.name, kind: 'PRIVEE', postcode: '47110', city: 'Sainte-Livrade-sur-Lot' });

  await seedPublicBuyers(ctx, { claire, buyerId: buyer.structureId, sophie, ownerId: owner.structureId });
  await seedDume(ctx, claire, buyer.structureId);
  // The school roof contract: BTP Durand leads a joint groupement with Plomberie Moreau and subcontracts the
  // electrical work to Électricité Petit, paid directly (acte spécial); their invoices go through validation (A9, A12).
  await createContract(ctx, claire, {
    number: DEMO_CONTRACT.number, subject: "Réfection de la toiture de l'école Jules-Ferry", buyerSiret: DEMO.buyer.siret, serviceCode: 'TECH', ejNumbers: ['1000012345'],
    groupementKind: 'CONJOINT', titulaireSiret: DEMO.supplier.siret, coContractors: [{ siret: DEMO.coContractor.siret }],
    subcontractors: [{ siret: DEMO.subcontractor.siret, directPayment: true, acceptedAmount: '18000.00', subcontractedBySiret: DEMO.supplier.siret }],
  });
  await seedWorksContract(ctx, sophie);
  await attachUser(ctx, marie, supplier.structureId, { email: demoLogins[1].email });
  void paul;
  // The technical account's password is generated and shown once, as on Chorus Pro.
  return createTechnicalAccount(ctx, marie, supplier.structureId, { label: 'ERP de BTP Durand (démonstration)' });
}

/** Services, parameters and engagements of the public structures, through the same use cases as the portal. */
async function seedPublicBuyers(ctx: Ctx, p: { claire: { userId: number; isTechnical: boolean }; buyerId: number; sophie: { userId: number; isTechnical: boolean }; ownerId: number }) {
  await editStructure(ctx, p.claire, p.buyerId, { contactEmail: 'factures@villeneuve.demo', parameters: { codeServiceDoitEtreRenseigne: true } });
  await createService(ctx, p.claire, p.buyerId, { code: 'TECH', name: 'Services techniques', description: 'Voirie, bâtiments communaux', numeroEjDoitEtreRenseigne: true });
  await createService(ctx, p.claire, p.buyerId, { code: 'ECOLES', name: 'Affaires scolaires' });
  await editStructure(ctx, p.sophie, p.ownerId, { parameters: { estMOA: true } });
  await createService(ctx, p.sophie, p.ownerId, { code: 'MOA-TRAVAUX', name: "Maîtrise d'ouvrage des travaux", numeroEjDoitEtreRenseigne: true });
  const engagements = [
    { structure: p.buyerId, gp: p.claire, number: '1000012345', amount: '48500.00', serviceCode: 'TECH', subject: "Réfection de la toiture de l'école Jules-Ferry" },
    { structure: p.buyerId, gp: p.claire, number: '1000012346', amount: '12750.40', serviceCode: 'TECH', subject: 'Entretien de la voirie communale 2026' },
    { structure: p.ownerId, gp: p.sophie, number: '1000020001', amount: '236800.00', serviceCode: 'MOA-TRAVAUX', subject: 'Réhabilitation de 24 logements, résidence Les Tilleuls' },
  ];
  for (const e of engagements)
    await createEngagement(ctx, e.gp, e.structure, { number: e.number, state: 'COMMANDE', amount: e.amount, serviceCode: e.serviceCode, supplierSiret: DEMO.supplier.siret, subject: e.subject });
}

/** A published DUME of the town, so that the DUME space shows a request to answer. */
async function seedDume(ctx: Ctx, claire: { userId: number; isTechnical: boolean }, buyerId: number) {
  const { requestId } = await createRequest(ctx, claire, buyerId, {
    title: 'Entretien des espaces verts communaux 2027',
    description: 'Tonte, taille et élagage des parcs et des abords des écoles.',
    fileReference: 'MAPA-2026-031',
    procedureType: 'OTHER',
    lots: [{ title: 'Tonte et débroussaillage' }, { title: 'Taille et élagage' }],
    selection: [{ id: '499efc97-2ac1-4af2-9e84-323c2ca67747', requirements: { 'c519de4b-967e-49e8-a449-c08ec4f00c29': '80000' } }, { id: '1f49b3f0-d50f-43f6-8b30-4bafab108b9b' }],
  });
  await publishRequest(ctx, claire, requestId);
}

/** A works contract of the OPH (MOA and payer) with BTP Durand, the architect as MOE: the décompte example of docs/works.md. */
async function seedWorksContract(ctx: Ctx, sophie: { userId: number; isTechnical: boolean }) {
  const { contractId } = await createContract(ctx, sophie, {
    number: 'OPH-2026-GO', subject: 'Réhabilitation de 24 logements, résidence Les Tilleuls — lot gros œuvre', buyerSiret: DEMO.owner.siret,
    serviceCode: 'MOA-TRAVAUX', ejNumbers: ['1000020001'], titulaireSiret: DEMO.supplier.siret,
  });
  await createWorksContract(ctx, sophie, {
    contractId, moeSiret: DEMO.architect.siret,
    terms: WORKED_EXAMPLE_TERMS,
    indexes: WORKED_EXAMPLE_INDEXES_MAY,
  });
}
