import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../accounts/index.ts';
import type { FormState } from './render.ts';

export interface LayoutProps {
  title: string;
  user?: CurrentUser | null;
  unread?: number;
  children?: Child;
  flash?: string;
}

/** The page frame: skip link, header with navigation, main landmark, footer. */
export const Layout = ({ title, user, unread, children, flash }: LayoutProps) => (
  <html lang="fr">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} — Ouvrage`}</title>
      <link rel="stylesheet" href="/assets/app.css" />
      <script src="/vendor/htmx/htmx.min.js" defer></script>
    </head>
    <body>
      <a class="skip" href="#contenu">Aller au contenu</a>
      <header class="site">
        <a class="brand" href="/">Ouvrage</a>
        <nav aria-label="Navigation principale">
          <ul>
            {user ? (
              <>
                <li><a href="/">Tableau de bord</a></li>
                <li><a href="/structures">Mes structures</a></li>
                <li><a href="/factures">Factures</a></li>
                <li><a href="/dume">DUME</a></li>
                <li><a href="/annuaire">Annuaire</a></li>
                <li><a href="/notifications">Notifications{unread ? <span class="badge" aria-label={`${unread} non lues`}>{unread}</span> : null}</a></li>
                <li><a href="/compte">Mon compte</a></li>
                <li>
                  <form method="post" action="/deconnexion" class="inline">
                    <button type="submit" class="link">Se déconnecter</button>
                  </form>
                </li>
              </>
            ) : (
              <>
                <li><a href="/annuaire">Annuaire</a></li>
                <li><a href="/connexion">Se connecter</a></li>
                <li><a href="/inscription">Créer un compte</a></li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="contenu" tabindex={-1}>
        {flash ? <p class="notice" role="status">{flash}</p> : null}
        {children}
      </main>
      <footer class="site">
        <p>Ouvrage — logiciel libre pour la commande publique. <a href="/api/docs">API</a></p>
      </footer>
    </body>
  </html>
);

/** The list of errors at the top of a form, focusable and announced. */
export const ErrorSummary = ({ form }: { form: FormState }) => {
  const entries = Object.entries(form.errors);
  if (!form.message && entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="erreurs">
      <p><strong>{form.message ?? 'Le formulaire contient des erreurs.'}</strong></p>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([field, message]) => (
            <li><a href={`#${field}`}>{message}</a></li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

export interface FieldProps {
  name: string;
  label: string;
  form: FormState;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: "numeric" | "text" | "email" | "tel";
  maxlength?: number;
}

/** A labelled input with its hint and its error, linked by aria-describedby. */
export const Field = ({ name, label, form, type = 'text', hint, required, autocomplete, inputmode, maxlength }: FieldProps) => {
  const error = form.errors[name];
  const describedBy = [hint ? `${name}-aide` : '', error ? `${name}-erreur` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      {hint ? <p class="hint" id={`${name}-aide`}>{hint}</p> : null}
      {error ? <p class="error" id={`${name}-erreur`}>{error}</p> : null}
      <input
        id={name}
        name={name}
        type={type}
        value={type === 'password' ? undefined : form.values[name] ?? ''}
        required={required}
        autocomplete={autocomplete}
        inputmode={inputmode}
        maxlength={maxlength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
};

export interface SelectProps {
  name: string;
  label: string;
  form: FormState;
  options: Array<{ value: string; label: string }>;
  required?: boolean;
  hint?: string;
}

export const Select = ({ name, label, form, options, required, hint }: SelectProps) => {
  const error = form.errors[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      {hint ? <p class="hint" id={`${name}-aide`}>{hint}</p> : null}
      {error ? <p class="error" id={`${name}-erreur`}>{error}</p> : null}
      <select id={name} name={name} required={required} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={form.values[name] === o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
};

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export const Checkbox = ({ name, label, checked, value = 'on', hint }: { name: string; label: string; checked?: boolean; value?: string; hint?: string }) => {
  const id = `${name}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <div class="checkbox">
      <input type="checkbox" id={id} name={name} value={value} checked={checked} />
      <label for={id}>{label}</label>
      {hint ? <span class="hint">{hint}</span> : null}
    </div>
  );
};

const STRUCTURE_TABS = [
  { key: 'overview', path: '', label: "Vue d'ensemble" },
  { key: 'spaces', path: '/espaces', label: 'Mes espaces' },
  { key: 'parameters', path: '/parametres', label: 'Paramètres' },
  { key: 'services', path: '/services', label: 'Services' },
  { key: 'engagements', path: '/engagements', label: 'Engagements' },
  { key: 'members', path: '/utilisateurs', label: 'Utilisateurs' },
  { key: 'rights', path: '/droits', label: 'Droits' },
  { key: 'technical', path: '/comptes-techniques', label: 'Comptes techniques' },
  { key: 'oauth', path: '/applications-api', label: 'Applications API' },
  { key: 'history', path: '/historique', label: 'Activités du gestionnaire' },
] as const;
export type StructureTab = (typeof STRUCTURE_TABS)[number]['key'];

/** The tabs of a structure's pages; `visible` lists the tabs the user may open. */
export const StructureNav = ({ structureId, current, visible }: { structureId: number; current: StructureTab; visible?: readonly StructureTab[] }) => (
  <nav class="tabs" aria-label="Rubriques de la structure">
    <ul>
      {STRUCTURE_TABS.filter((t) => !visible || visible.includes(t.key)).map((t) => (
        <li><a href={`/structures/${structureId}${t.path}`} aria-current={t.key === current ? 'page' : undefined}>{t.label}</a></li>
      ))}
    </ul>
  </nav>
);

/** Previous / next links of a paginated list (nothing when there is a single page). */
export const Pager = ({ page, pages, link }: { page: number; pages: number; link: (page: number) => string }) =>
  pages > 1 ? (
    <nav aria-label="Pages de résultats">
      {page > 1 ? <a href={link(page - 1)}>Page précédente</a> : null} <span>Page {page} sur {pages}</span> {page < pages ? <a href={link(page + 1)}>Page suivante</a> : null}
    </nav>
  ) : null;
