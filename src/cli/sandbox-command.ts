import type { Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { isSandboxSeeded, seedSandbox } from '../demo/sandbox.ts';

/** `ouvrage seed --sandbox [--json]`: the qualification data set, printed as text or as one JSON document. */
export async function runSandboxSeed(ctx: Ctx, json: boolean): Promise<void> {
  if (await isSandboxSeeded(ctx))
    throw new AppError('CONFLICT', 'SANDBOX_EXISTS', 'Le bac à sable existe déjà dans cette base : ses secrets ont été affichés à sa création (repartez d’une base vide pour en obtenir de nouveaux).');
  const r = await seedSandbox(ctx);
  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  console.log('Bac à sable compatible Chorus Pro créé (secrets affichés une seule fois).');
  console.log(`Mot de passe des gestionnaires : ${r.password}`);
  for (const s of r.structures) console.log(`  ${s.role.padEnd(32)} idStructureCPP=${String(s.idStructureCPP).padEnd(5)} SIRET ${s.siret}  ${s.name}${s.serviceCode ? `  service ${s.serviceCode}` : ''}${s.engagements.length ? `  EJ ${s.engagements.join(', ')}` : ''}  (${s.gpLogin})`);
  console.log('Comptes techniques (en-tête cpro-account) :');
  for (const t of r.technicalAccounts) console.log(`  ${t.structure.padEnd(32)} ${t.login} / ${t.password}  cpro-account: ${t.cproAccount}`);
  console.log('Applications OAuth (POST /api/oauth/token) :');
  for (const c of r.oauthClients) console.log(`  ${c.structure.padEnd(32)} client_id=${c.clientId} client_secret=${c.clientSecret}`);
  console.log('Factures d’exemple :');
  for (const i of r.invoices) console.log(`  ${i.framework.padEnd(36)} ${i.numeroFacture} (identifiantFactureCPP ${i.identifiantFactureCPP}) ${i.status}`);
}
