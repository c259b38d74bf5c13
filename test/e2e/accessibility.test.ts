/// <reference lib="dom" />
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession, logInThroughForm } from './browser.ts';
import { seedDemo, DEMO_PASSWORD, demoLogins } from '../../src/demo/seed.ts';

/** What every page must offer: French, a title, one h1, a main landmark, a label for every field. */
async function auditPage(page: import('playwright-core').Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.lang !== 'fr') problems.push('lang');
    if (!document.title.trim()) problems.push('title');
    if (document.querySelectorAll('h1').length !== 1) problems.push(`h1 × ${document.querySelectorAll('h1').length}`);
    if (!document.querySelector('main')) problems.push('main');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden') continue;
      const labelled = (input.id && document.querySelector(`label[for="${input.id}"]`)) || input.getAttribute('aria-label') || input.closest('label');
      if (!labelled) problems.push(`unlabelled ${input.tagName.toLowerCase()}[name=${input.name}]`);
    }
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
    return problems;
  });
}

describe('accessibility basics of every page', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());

  test('public pages and every page of a public buyer and of a company are labelled, titled and in French', async () => {
    const page = await s.newPage();
    const audited: Record<string, string[]> = {};
    const visit = async (url: string) => {
      const res = await page.goto(url);
      assert.equal(res!.status(), 200, url);
      audited[url] = await auditPage(page);
    };
    for (const url of ['/', '/connexion', '/inscription', '/mot-de-passe/oubli', '/annuaire', '/annuaire?q=Villeneuve']) await visit(url);

    for (const login of [demoLogins[2].email, demoLogins[0].email]) {
      await logInThroughForm(page, login, DEMO_PASSWORD);
      await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();
      const id = (await s.app.ctx.db
        .selectFrom('rattachements').select('structure_id')
        .innerJoin('users', 'users.id', 'rattachements.user_id')
        .where('users.email', '=', login).executeTakeFirstOrThrow()).structure_id;
      for (const tab of ['', '/espaces', '/parametres', '/services', '/engagements', '/utilisateurs', '/droits', '/comptes-techniques', '/applications-api', '/historique'])
        if (tab !== '/services' && tab !== '/engagements' || login === demoLogins[2].email) await visit(`/structures/${id}${tab}`);
      // « Factures de travaux » of the demo's works contract: the company's space, billing file and progress entry.
      if (login === demoLogins[0].email) {
        const works = (await s.app.ctx.db.selectFrom('contracts').select('id').where('number', '=', 'OPH-2026-GO').executeTakeFirstOrThrow()).id;
        for (const tab of ['', `/${works}`, `/${works}/deposer?cadre=A4`]) await visit(`/structures/${id}/travaux${tab}`);
      }
      for (const url of ['/', '/structures', '/structures/nouvelle', '/structures/rattachement', '/compte', '/compte/double-authentification', '/notifications', '/dume', '/dume/importer', '/dume/demandes/nouvelle']) await visit(url);
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
    }
    const failing = Object.entries(audited).filter(([, p]) => p.length);
    assert.deepEqual(failing, []);
    assert.ok(Object.keys(audited).length >= 25);
    assert.deepEqual(s.pageErrors, []);
  });
});
