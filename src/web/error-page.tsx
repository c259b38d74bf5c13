import type { AppError } from '../shared/app-error.ts';
import { Layout } from './components.tsx';

const titles: Record<string, string> = {
  NOT_FOUND: 'Page introuvable',
  FORBIDDEN: 'Accès refusé',
  UNAUTHENTICATED: 'Connexion requise',
  GONE: 'Lien expiré',
  INTERNAL: 'Erreur',
};

/** The HTML page of an error: never a stack trace, always a French message and a way out. */
export function renderErrorPage(error: AppError): string {
  const title = titles[error.kind] ?? 'Demande impossible';
  return (
    '<!doctype html>' +
    String(
      <Layout title={title}>
        <h1>{title}</h1>
        <p>{error.userMessage}</p>
        <p><a href="/">Retour à l'accueil</a></p>
      </Layout>,
    )
  );
}
