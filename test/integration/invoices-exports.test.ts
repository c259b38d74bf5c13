import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import { openDatabase } from '../../src/db/open-database.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'ouvrage.mjs');

describe('exports of searches and paths, and the chain check of the command line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-chain-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A database the command line can open after the app is closed: a PGlite directory, or the PostgreSQL test database.
  const onPostgres = !!process.env.TEST_DATABASE_URL;

  test('CSV export of a search, path export as CSV and JSON, and `ouvrage invoices verify-chain` failing on a tampered row', async () => {
    const app = await startTestApp({ clock: new TestClock(new Date('2026-11-28T09:00:00Z')), env: onPostgres ? {} : { DATABASE_URL: `pglite://${path.join(dir, 'db')}` } });
    const databaseUrl = app.config.DATABASE_URL;
    try {
      const gp = await newUser(app);
      const buyerGp = await newUser(app);
      const supplier = await newStructure(app, gp, { name: 'Export SARL' });
      const buyer = await newStructure(app, buyerGp, { name: 'Commune ; « Export »', kind: 'PUBLIQUE' });
      const api = await apiSession(app, gp.email);
      const buyerApi = await apiSession(app, buyerGp.email);
      const ids: number[] = [];
      for (const [number, price] of [['EXP-1', '100.00'], ['EXP-2', '2500.50'], ['AUTRE-1', '10.00']] as const) {
        const d = await api.post('/invoices', { supplierStructureId: supplier.structureId, recipientSiret: buyer.siret, number, invoiceDate: '2026-11-27', lines: [{ description: 'Prestation', quantity: '1', unitPrice: price, vatRate: '20' }] });
        ids.push(d.body.invoiceId);
      }
      await api.post(`/invoices/${ids[1]}/submit`);
      for (let i = 0; i < 100 && (await api.get(`/invoices/${ids[1]}`)).body.status !== 'MISE_A_DISPOSITION'; i++) await new Promise((r) => setTimeout(r, 100));
      await buyerApi.post(`/invoices/${ids[1]}/actions`, { action: 'SUSPENDRE', reason: 'AUTRE', comment: 'Précisez ; merci' });

      const csv = await api.get(`/invoices/export.csv?structureId=${supplier.structureId}&side=EMISES&number=EXP`);
      assert.equal(csv.status, 200);
      assert.match(String(csv.raw.headers['content-type']), /text\/csv/);
      const text = csv.raw.body;
      assert.ok(text.startsWith('\uFEFF'), 'UTF-8 with BOM for spreadsheets');
      const lines = text.slice(1).trim().split('\r\n');
      assert.equal(lines.length, 3, text);
      assert.match(lines[0], /^Identifiant;Numéro;Type;Cadre;/);
      assert.match(lines[1], /^\d+;EXP-2;FACTURE;A1_FACTURE_FOURNISSEUR;2026-11-27;;Export SARL;\d{14};"Commune ; « Export »";\d{14};;;EUR;2500.50;500.10;3000.60;3000.60;SUSPENDUE;Suspendue;208;2026-11-28T09:00:00.000Z;$/);
      assert.match(lines[2], /;EXP-1;.*;BROUILLON;Brouillon;;;$/);
      // The recipient's export shows only what reached it.
      const received = (await buyerApi.get(`/invoices/export.csv?structureId=${buyer.structureId}&side=RECUES`)).raw.body.trim().split('\r\n');
      assert.equal(received.length, 2);
      assert.equal((await (await apiSession(app, (await newUser(app)).email)).get(`/invoices/export.csv?structureId=${supplier.structureId}&side=EMISES`)).status, 404);
      const web = await webSession(app, gp.email);
      const page = (await web.get(`/structures/${supplier.structureId}/factures-emises?number=EXP`)).body;
      assert.match(page, /Exporter cette recherche en CSV/);
      const webCsv = await web.get(`/structures/${supplier.structureId}/factures-emises/export.csv?number=EXP`);
      assert.equal(webCsv.body.trim().split('\r\n').length, 3);

      const pathJson = (await api.get(`/invoices/${ids[1]}/path.json`)).body;
      assert.equal(pathJson.chain.ok, true);
      assert.deepEqual(pathJson.events.filter((e: any) => e.type === 'TRANSITION').map((e: any) => [e.toStatus, e.reformCode]), [['DEPOSEE', 200], ['EN_COURS_ACHEMINEMENT', 201], ['MISE_A_DISPOSITION', 203], ['SUSPENDUE', 208]]);
      const pathCsv = (await buyerApi.get(`/invoices/${ids[1]}/path.csv`)).raw.body.slice(1).trim().split('\r\n');
      assert.match(pathCsv[0], /^N°;Date \(UTC\);Événement;Action;De;Vers;Statut;Code réforme;Rôle;Acteur;Motif;Commentaire;Empreinte précédente;Empreinte$/);
      assert.match(pathCsv[pathCsv.length - 1], /;SUSPENDRE;MISE_A_DISPOSITION;SUSPENDUE;Suspendue;208;Destinataire;Jeanne Test;Autre motif \(préciser en commentaire\);"Précisez ; merci";[0-9a-f]{64};[0-9a-f]{64}$/);
      const webPath = await web.get(`/structures/${supplier.structureId}/factures-emises/${ids[1]}/parcours.json`);
      assert.equal(JSON.parse(webPath.body).events.length, pathJson.events.length);
    } finally {
      await app.close();
    }

    const env = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', WORKERS: 'off' };
    const ouvrage = async (...args: string[]) => {
      try {
        const { stdout } = await run(process.execPath, [bin, ...args], { env, timeout: 120_000 });
        return { code: 0, stdout };
      } catch (err: any) {
        return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
      }
    };
    try {
      const intact = await ouvrage('invoices', 'verify-chain');
      assert.equal(intact.code, 0, JSON.stringify(intact));
      assert.match(intact.stdout, /3 facture\(s\), \d+ événement\(s\) vérifiés\.\nToutes les chaînes sont intègres\./);

      // Someone who can bypass the append-only trigger rewrites a comment.
      const database = await openDatabase(databaseUrl);
      const target = await database.db.selectFrom('invoices').select(['id']).where('number', '=', 'EXP-2').executeTakeFirstOrThrow();
      await database.db.transaction().execute(async (trx) => {
        await sql`ALTER TABLE invoice_events DISABLE TRIGGER invoice_events_no_change`.execute(trx);
        await sql`UPDATE invoice_events SET comment = 'Rien à signaler' WHERE invoice_id = ${target.id} AND to_status = 'SUSPENDUE'`.execute(trx);
        await sql`ALTER TABLE invoice_events ENABLE TRIGGER invoice_events_no_change`.execute(trx);
      });
      await database.close();
      const broken = await ouvrage('invoices', 'verify-chain');
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, new RegExp(`Chaîne rompue : facture EXP-2 \\(id ${target.id}\\), événement n° \\d+ : le contenu de l'événement n° \\d+ a été modifié\\.`));
      assert.match(broken.stdout, /1 chaîne\(s\) rompue\(s\)\./);
      const json = await ouvrage('invoices', 'verify-chain', '--json');
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.stdout).broken.map((b: any) => b.number), ['EXP-2']);
    } finally {
      await app.cleanup();
    }
  });
});
