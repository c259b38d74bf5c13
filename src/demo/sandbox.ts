import type { Actor, Ctx } from '../context.ts';
import { createActiveUser, findUserByEmail } from '../accounts/index.ts';
import { createEngagement, createService, createStructure, createTechnicalAccount, editStructure, setHabilitations } from '../structures/index.ts';
import { createOAuthClient } from '../cpro/index.ts';
import { FRAMEWORKS, VALIDATED_FRAMEWORKS, createDraft, submitInvoice } from '../invoices/index.ts';

/**
 * The qualification-like data set of the Chorus-Pro-compatible sandbox (chorus-pro.md §6, the « matelas »):
 * a supplier, the fixed public test recipients with each parameter combination, a validator, an MOE, an MOA,
 * technical accounts and OAuth clients, and one example invoice per framework the platform has. Everything
 * is created through the same use cases as the portal.
 */
export const SANDBOX_PASSWORD = 'Qualif-Ouvrage-2026!';

export const SANDBOX = {
  supplier: { siret: '90100001800019', name: 'Fournisseur Qualification', login: 'gest.fournisseur@qualif.ouvrage' },
  validator: { siret: '90200002500012', name: 'Valideur Qualification', login: 'gest.valideur@qualif.ouvrage' },
  moe: { siret: '90300003200016', name: "Maître d'œuvre Qualification", login: 'gest.moe@qualif.ouvrage' },
  moa: { siret: '90400004900018', name: "Maître d'ouvrage Qualification", login: 'gest.moa@qualif.ouvrage', service: 'SERVICE_PUBLIQUE_1_90400004900018' },
  recipients: {
    etat: { siret: '11000201100044', name: 'État — Qualification', service: 'SFACETAT', login: 'gest.etat@qualif.ouvrage', parameters: { codeServiceDoitEtreRenseigne: true, numeroEJDoitEtreRenseigne: true }, ejs: ['1000000001', '1000000002'] },
    serviceObligatoire: { siret: '12345678200028', name: 'Destinataire — code service obligatoire', service: 'SERVICE_DEST_SERV_OBL', login: 'gest.dest.service@qualif.ouvrage', parameters: { codeServiceDoitEtreRenseigne: true }, ejs: [] },
    ejObligatoire: { siret: '12345678200036', name: 'Destinataire — engagement obligatoire', service: null, login: 'gest.dest.ej@qualif.ouvrage', parameters: { numeroEJDoitEtreRenseigne: true }, ejs: ['0000048295', '0000048296'] },
    ejOuService: { siret: '12345678200044', name: 'Destinataire — engagement ou code service', service: 'SERVICE_DEST_EJ_OU_SERV_OBL', login: 'gest.dest.ejouservice@qualif.ouvrage', parameters: { gestionNumeroEJOuCodeService: true }, ejs: ['0000048297'] },
    sansParametre: { siret: '12345678200051', name: 'Destinataire — sans paramètre', service: null, login: 'gest.dest.libre@qualif.ouvrage', parameters: {}, ejs: [] },
  },
} as const;

export interface SandboxReport {
  password: string;
  structures: Array<{ role: string; idStructureCPP: number; siret: string; name: string; kind: 'PRIVEE' | 'PUBLIQUE'; serviceCode: string | null; engagements: string[]; gpLogin: string }>;
  technicalAccounts: Array<{ structure: string; idStructureCPP: number; login: string; password: string; cproAccount: string; passwordExpiresAt: string }>;
  oauthClients: Array<{ structure: string; idStructureCPP: number; clientId: string; clientSecret: string }>;
  invoices: Array<{ framework: string; identifiantFactureCPP: number; numeroFacture: string; recipient: string; status: string }>;
}

export const isSandboxSeeded = async (ctx: Ctx) => !!(await findUserByEmail(ctx.db, SANDBOX.supplier.login));

async function gp(ctx: Ctx, login: string, lastName: string): Promise<Actor> {
  const { userId } = await createActiveUser(ctx, { email: login, firstName: 'Gestionnaire', lastName, password: SANDBOX_PASSWORD });
  return { userId, isTechnical: false };
}

/** Creates the sandbox; run once on a database (returns every credential, shown once). */
export async function seedSandbox(ctx: Ctx): Promise<SandboxReport> {
  const report: SandboxReport = { password: SANDBOX_PASSWORD, structures: [], technicalAccounts: [], oauthClients: [], invoices: [] };
  const connect = async (actor: Actor, role: string, structureId: number, isPublic = false) => {
    const tech = await createTechnicalAccount(ctx, actor, structureId, { label: `Compte technique ${role} (bac à sable)` });
    // A public structure's connector also reads its engagements register (engagementsJuridiques/v1/rechercher).
    if (isPublic)
      await setHabilitations(ctx, actor, structureId, tech.userId, {
        habilitations: [
          { space: 'FACTURES_EMISES', access: 'MODIFICATION' }, { space: 'FACTURES_RECUES', access: 'MODIFICATION' },
          { space: 'RACCORDEMENT_API', access: 'MODIFICATION' }, { space: 'ENGAGEMENTS', access: 'CONSULTATION_UNIQUEMENT' },
        ],
      });
    report.technicalAccounts.push({ structure: role, idStructureCPP: structureId, login: tech.login, password: tech.password, cproAccount: Buffer.from(`${tech.login}:${tech.password}`).toString('base64'), passwordExpiresAt: tech.passwordExpiresAt.toISOString() });
    const client = await createOAuthClient(ctx, actor, structureId, { label: `Connecteur ${role} (bac à sable)` });
    report.oauthClients.push({ structure: role, idStructureCPP: structureId, clientId: client.clientId, clientSecret: client.clientSecret });
  };

  const supplierGp = await gp(ctx, SANDBOX.supplier.login, 'Fournisseur');
  const supplier = await createStructure(ctx, supplierGp, { identifierType: 'SIRET', identifier: SANDBOX.supplier.siret, name: SANDBOX.supplier.name, kind: 'PRIVEE', addressLine: '1 rue de la Qualification', postcode: '75012', city: 'Paris' });
  report.structures.push({ role: 'fournisseur', idStructureCPP: supplier.structureId, siret: SANDBOX.supplier.siret, name: SANDBOX.supplier.name, kind: 'PRIVEE', serviceCode: null, engagements: [], gpLogin: SANDBOX.supplier.login });
  await connect(supplierGp, 'fournisseur', supplier.structureId);

  for (const [role, r] of Object.entries(SANDBOX.recipients)) {
    const actor = await gp(ctx, r.login, r.name);
    const s = await createStructure(ctx, actor, { identifierType: 'SIRET', identifier: r.siret, name: r.name, kind: 'PUBLIQUE', addressLine: '139 rue de Bercy', postcode: '75012', city: 'Paris' });
    if (Object.keys(r.parameters).length) await editStructure(ctx, actor, s.structureId, { parameters: r.parameters });
    if (r.service) await createService(ctx, actor, s.structureId, { code: r.service, name: `Service ${r.service}` });
    for (const number of r.ejs) await createEngagement(ctx, actor, s.structureId, { number, state: 'A_TRAITER', amount: '100000.00', serviceCode: r.service ?? undefined, supplierSiret: SANDBOX.supplier.siret, subject: 'Engagement de qualification' });
    report.structures.push({ role: `destinataire:${role}`, idStructureCPP: s.structureId, siret: r.siret, name: r.name, kind: 'PUBLIQUE', serviceCode: r.service, engagements: [...r.ejs], gpLogin: r.login });
    await connect(actor, `destinataire:${role}`, s.structureId, true);
  }

  for (const [role, p] of [['valideur', SANDBOX.validator], ['moe', SANDBOX.moe]] as const) {
    const actor = await gp(ctx, p.login, p.name);
    const s = await createStructure(ctx, actor, { identifierType: 'SIRET', identifier: p.siret, name: p.name, kind: 'PRIVEE', postcode: '75012', city: 'Paris' });
    report.structures.push({ role, idStructureCPP: s.structureId, siret: p.siret, name: p.name, kind: 'PRIVEE', serviceCode: null, engagements: [], gpLogin: p.login });
    await connect(actor, role, s.structureId);
  }
  const moaGp = await gp(ctx, SANDBOX.moa.login, SANDBOX.moa.name);
  const moa = await createStructure(ctx, moaGp, { identifierType: 'SIRET', identifier: SANDBOX.moa.siret, name: SANDBOX.moa.name, kind: 'PUBLIQUE', postcode: '75012', city: 'Paris' });
  await editStructure(ctx, moaGp, moa.structureId, { parameters: { estMOA: true } });
  await createService(ctx, moaGp, moa.structureId, { code: SANDBOX.moa.service, name: 'Maîtrise d’ouvrage' });
  report.structures.push({ role: 'moa', idStructureCPP: moa.structureId, siret: SANDBOX.moa.siret, name: SANDBOX.moa.name, kind: 'PUBLIQUE', serviceCode: SANDBOX.moa.service, engagements: [], gpLogin: SANDBOX.moa.login });
  await connect(moaGp, 'moa', moa.structureId, true);

  // One example invoice per framework the platform has, numbered like the qualification samples.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(ctx.clock.now());
  let k = 1;
  // A9 / A12 need a contract naming a subcontractor or co-contractor and its validator (src/contracts): not sampled here.
  for (const framework of FRAMEWORKS.filter((f) => !VALIDATED_FRAMEWORKS.includes(f))) {
    const number = `QUAL_000000011106${String(k++).padStart(2, '0')}`;
    const { invoiceId } = await createDraft(ctx, supplierGp, {
      supplierStructureId: supplier.structureId, recipientSiret: SANDBOX.recipients.sansParametre.siret, framework, number, invoiceDate: today, depositMode: 'SAISIE_WEB',
      lines: [{ description: `Prestation de qualification (${framework})`, quantity: '1', unitPrice: '1000.00', vatRate: '20' }],
    });
    const r = await submitInvoice(ctx, supplierGp, invoiceId);
    report.invoices.push({ framework, identifiantFactureCPP: invoiceId, numeroFacture: number, recipient: SANDBOX.recipients.sansParametre.siret, status: r.status });
  }
  return report;
}
