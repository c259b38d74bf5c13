import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as directory from '../directory/index.ts';
import { AppError } from '../shared/app-error.ts';
import { ErrorSummary, Field, Layout, Pager } from './components.tsx';
import { emptyForm, sendPage, type FormState } from './render.ts';

const CRITERIA = ['siret', 'name', 'postcode'] as const;

/** The signed-in user, for the navigation only: the directory is public. */
const viewer = (req: FastifyRequest) => (req.auth.session && !req.auth.session.pendingSecondFactor ? req.auth.session.user : null);

const RequirementList = ({ r }: { r: directory.Requirements }) => <>{directory.requirementsText(r).replace(/^./, (c) => c.toUpperCase())}</>;

/** The public directory of recipients (annuaire): search and CSV download, no login. */
export async function directoryPages(app: FastifyInstance, ctx: Ctx) {
  app.get('/annuaire', async (req, reply) => {
    const query = (req.query ?? {}) as Record<string, string>;
    const criteria = Object.fromEntries(CRITERIA.map((k) => [k, String(query[k] ?? '')])) as Record<(typeof CRITERIA)[number], string>;
    const searched = CRITERIA.some((k) => criteria[k].trim() !== '');
    let form: FormState = emptyForm(criteria);
    let result: directory.DirectoryPage | null = null;
    if (searched) {
      try {
        result = await directory.searchDirectory(ctx, { ...criteria, page: query.page || undefined });
      } catch (err) {
        if (!(err instanceof AppError) || err.kind !== 'VALIDATION') throw err;
        form = { values: criteria, errors: err.fields ?? {}, message: err.userMessage };
      }
    }
    const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
    const pageLink = (n: number) => `/annuaire?${new URLSearchParams({ ...criteria, page: String(n) })}`;
    return sendPage(reply, (
      <Layout title={result ? `Annuaire : ${result.total} résultat${result.total > 1 ? 's' : ''}` : 'Annuaire des destinataires publics'} user={viewer(req)}>
        <h1>Annuaire des destinataires publics</h1>
        <p>Retrouvez une structure publique et ce que vos factures doivent mentionner : code service, numéro d'engagement juridique.</p>
        <ErrorSummary form={form} />
        <form method="get" action="/annuaire" role="search" aria-label="Rechercher un destinataire" novalidate>
          <Field name="siret" label="SIRET (ou ses premiers chiffres)" form={form} inputmode="numeric" maxlength={14} hint="Au moins 3 chiffres." />
          <Field name="name" label="Nom de la structure" form={form} maxlength={200} hint="Une partie du nom suffit." />
          <Field name="postcode" label="Code postal" form={form} maxlength={5} hint="Le code postal ou son début (ex. 47)." />
          <button type="submit">Rechercher</button>
        </form>
        <p><a href="/annuaire/export.csv" download>Télécharger l'annuaire complet (CSV, séparateur point-virgule)</a></p>
        {result ? (
          <section aria-labelledby="resultats">
            <h2 id="resultats">Résultats</h2>
            <p role="status">{result.total === 0 ? 'Aucune structure publique ne correspond à votre recherche.' : `${result.total} structure${result.total > 1 ? 's' : ''} trouvée${result.total > 1 ? 's' : ''}.`}</p>
            {result.results.length > 0 ? (
              <table>
                <caption class="sr-only">Destinataires publics trouvés</caption>
                <thead><tr><th scope="col">Structure</th><th scope="col">SIRET</th><th scope="col">Adresse</th><th scope="col">Mentions obligatoires</th><th scope="col">Services</th></tr></thead>
                <tbody>
                  {result.results.map((e) => (
                    <tr>
                      <th scope="row">{e.name}</th>
                      <td>{e.siret}</td>
                      <td>{[e.addressLine, [e.postcode, e.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—'}</td>
                      <td><RequirementList r={e.requirements} /></td>
                      <td>
                        {e.services.length === 0 ? 'Aucun service' : (
                          <ul>
                            {e.services.map((s) => (
                              <li><strong>{s.code}</strong> — {s.name}{s.requirements.ej && !e.requirements.ej ? " (numéro d'engagement obligatoire)" : ''}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            <Pager page={result.page} pages={pages} link={pageLink} />
          </section>
        ) : null}
      </Layout>
    ), form.message ? 400 : 200);
  });

  app.get('/annuaire/export.csv', async (_req, reply) => {
    const { filename, csv } = await directory.exportDirectory(ctx);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  });
}
