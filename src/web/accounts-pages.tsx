import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as accounts from '../accounts/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, ErrorSummary, Field, Layout } from './components.tsx';
import { emptyForm, formValues, redirect, sendPage, submitForm, type FormState } from './render.ts';
import { requirePage, safeReturnPath } from './guards.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import { getNotificationPreferences } from '../notifications/index.ts';
import { NotificationPreferencesSection } from './notifications-pages.tsx';

const PASSWORD_HINT = 'Au moins 12 caractères, avec une minuscule, une majuscule, un chiffre et un caractère spécial.';

export async function accountsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const limited = { rateLimit: { max: 30, timeWindow: '1 minute' } };
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, maxAge: 12 * 3600 });

  // Sign-up
  const signUpPage = (reply: FastifyReply, form: FormState) => (
    <Layout title="Créer un compte">
      <h1>Créer un compte</h1>
      <ErrorSummary form={form} />
      <form method="post" action="/inscription" novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="email" label="Adresse électronique de connexion" type="email" form={form} required autocomplete="email" />
        <Field name="firstName" label="Prénom" form={form} required autocomplete="given-name" />
        <Field name="lastName" label="Nom" form={form} required autocomplete="family-name" />
        <Field name="phone" label="Téléphone (facultatif)" type="tel" form={form} autocomplete="tel" />
        <Field name="password" label="Mot de passe" type="password" form={form} required hint={PASSWORD_HINT} autocomplete="new-password" />
        <button type="submit">Créer mon compte</button>
      </form>
      <p>Déjà un compte ? <a href="/connexion">Se connecter</a></p>
    </Layout>
  );
  app.get('/inscription', async (_req, reply) => sendPage(reply, signUpPage(reply, emptyForm())));
  app.post('/inscription', { ...csrf, config: limited }, async (req, reply) => {
    const values = formValues(req);
    const done = await submitForm(reply, values, () => accounts.signUp(ctx, values as any), (f) => signUpPage(reply, f));
    if (done) return sendPage(reply, (
      <Layout title="Vérifiez votre messagerie">
        <h1>Vérifiez votre messagerie</h1>
        <p role="status">Un lien d'activation a été envoyé à <strong>{values.email}</strong>. Il est valable 60 minutes.</p>
        <p>Rien reçu ? <a href="/activation/renvoyer">Renvoyer le lien</a></p>
      </Layout>
    ));
  });

  // Activation: the link shows a button, so that mail scanners opening links do not consume it.
  app.get('/activation/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    return sendPage(reply, (
      <Layout title="Activer mon compte">
        <h1>Activer mon compte</h1>
        <form method="post" action={`/activation/${encodeURIComponent(token)}`}>
          <Csrf token={reply.generateCsrf()} />
          <button type="submit">Activer mon compte</button>
        </form>
      </Layout>
    ));
  });
  app.post('/activation/:token', csrf, async (req, reply) => {
    const { token } = req.params as { token: string };
    try {
      await accounts.activateAccount(ctx, token);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL')
        return sendPage(reply, (
          <Layout title="Activation impossible">
            <h1>Activation impossible</h1>
            <p role="alert">{err.userMessage}</p>
            <p><a href="/activation/renvoyer">Recevoir un nouveau lien d'activation</a></p>
          </Layout>
        ), err.kind === 'GONE' ? 410 : 404);
      throw err;
    }
    return sendPage(reply, (
      <Layout title="Compte activé" flash="Votre compte est activé.">
        <h1>Compte activé</h1>
        <p><a href="/connexion">Se connecter</a></p>
      </Layout>
    ));
  });
  const resendPage = (reply: FastifyReply, form: FormState, sent = false) => (
    <Layout title="Renvoyer le lien d'activation">
      <h1>Renvoyer le lien d'activation</h1>
      {sent ? <p role="status" class="notice">Si un compte en attente d'activation existe pour cette adresse, un nouveau lien vient d'être envoyé.</p> : null}
      <ErrorSummary form={form} />
      <form method="post" action="/activation/renvoyer" novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="email" label="Adresse électronique" type="email" form={form} required autocomplete="email" />
        <button type="submit">Renvoyer</button>
      </form>
    </Layout>
  );
  app.get('/activation/renvoyer', async (_req, reply) => sendPage(reply, resendPage(reply, emptyForm())));
  app.post('/activation/renvoyer', { ...csrf, config: limited }, async (req, reply) => {
    const values = formValues(req);
    if (await submitForm(reply, values, () => accounts.resendActivation(ctx, values as any), (f) => resendPage(reply, f)))
      return sendPage(reply, resendPage(reply, emptyForm(), true));
  });

  // Login
  const loginPage = (reply: FastifyReply, form: FormState, back: string, flash?: string) => (
    <Layout title="Se connecter" flash={flash}>
      <h1>Se connecter</h1>
      <ErrorSummary form={form} />
      <form method="post" action={`/connexion?retour=${encodeURIComponent(back)}`} novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="email" label="Adresse électronique" type="email" form={form} required autocomplete="username" />
        <Field name="password" label="Mot de passe" type="password" form={form} required autocomplete="current-password" />
        <button type="submit">Se connecter</button>
      </form>
      <p><a href="/mot-de-passe/oubli">Mot de passe oublié ?</a> · <a href="/inscription">Créer un compte</a></p>
    </Layout>
  );
  app.get('/connexion', async (req, reply) => {
    const q = req.query as Record<string, string>;
    const flash = q.technique ? "Un compte technique ne se connecte qu'à l'API." : undefined;
    return sendPage(reply, loginPage(reply, emptyForm(), safeReturnPath(q.retour), flash));
  });
  app.post('/connexion', { ...csrf, config: limited }, async (req, reply) => {
    const values = formValues(req);
    const back = safeReturnPath((req.query as Record<string, string>).retour);
    let result: accounts.LogInResult | undefined;
    const ok = await submitForm(reply, values, async () => {
      result = await accounts.logIn(ctx, values, { userAgent: req.headers['user-agent'], ip: req.ip });
    }, (f) => loginPage(reply, { ...f, values: { email: values.email ?? '' } }, back));
    if (!ok || !result) return;
    setSessionCookie(reply, result.sessionToken);
    if (result.secondFactor === 'VERIFY') return redirect(reply, `/connexion/code?retour=${encodeURIComponent(back)}`);
    if (result.secondFactor === 'ENROL') return redirect(reply, '/compte/double-authentification');
    return redirect(reply, back);
  });

  const codePage = (reply: FastifyReply, form: FormState, back: string) => (
    <Layout title="Code de vérification">
      <h1>Code de vérification</h1>
      <p>Saisissez le code à 6 chiffres affiché par votre application d'authentification.</p>
      <ErrorSummary form={form} />
      <form method="post" action={`/connexion/code?retour=${encodeURIComponent(back)}`} novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="code" label="Code à 6 chiffres" form={form} required autocomplete="one-time-code" inputmode="numeric" maxlength={6} />
        <button type="submit">Valider</button>
      </form>
    </Layout>
  );
  app.get('/connexion/code', async (req, reply) => {
    if (!req.auth.session) return redirect(reply, '/connexion');
    return sendPage(reply, codePage(reply, emptyForm(), safeReturnPath((req.query as any).retour)));
  });
  app.post('/connexion/code', { ...csrf, config: limited }, async (req, reply) => {
    if (!req.auth.sessionToken) return redirect(reply, '/connexion');
    const back = safeReturnPath((req.query as any).retour);
    const values = formValues(req);
    if (await submitForm(reply, values, () => accounts.verifySecondFactor(ctx, req.auth.sessionToken!, values), (f) => codePage(reply, f, back)))
      return redirect(reply, back);
  });

  app.post('/deconnexion', csrf, async (req, reply) => {
    await accounts.logOut(ctx, req.auth.sessionToken ?? undefined);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirect(reply, '/connexion');
  });

  // Password reset
  const forgotPage = (reply: FastifyReply, form: FormState, sent = false) => (
    <Layout title="Mot de passe oublié">
      <h1>Mot de passe oublié</h1>
      {sent ? <p role="status" class="notice">Si un compte existe pour cette adresse, un lien de réinitialisation valable 60 minutes vient d'être envoyé.</p> : null}
      <ErrorSummary form={form} />
      <form method="post" action="/mot-de-passe/oubli" novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="email" label="Adresse électronique" type="email" form={form} required autocomplete="email" />
        <button type="submit">Recevoir un lien</button>
      </form>
    </Layout>
  );
  app.get('/mot-de-passe/oubli', async (_req, reply) => sendPage(reply, forgotPage(reply, emptyForm())));
  app.post('/mot-de-passe/oubli', { ...csrf, config: limited }, async (req, reply) => {
    const values = formValues(req);
    if (await submitForm(reply, values, () => accounts.requestPasswordReset(ctx, values), (f) => forgotPage(reply, f)))
      return sendPage(reply, forgotPage(reply, emptyForm(), true));
  });
  const newPasswordPage = (reply: FastifyReply, token: string, form: FormState) => (
    <Layout title="Nouveau mot de passe">
      <h1>Choisir un nouveau mot de passe</h1>
      <ErrorSummary form={form} />
      <form method="post" action={`/mot-de-passe/nouveau/${encodeURIComponent(token)}`} novalidate>
        <Csrf token={reply.generateCsrf()} />
        <Field name="password" label="Nouveau mot de passe" type="password" form={form} required hint={PASSWORD_HINT} autocomplete="new-password" />
        <button type="submit">Enregistrer</button>
      </form>
    </Layout>
  );
  app.get('/mot-de-passe/nouveau/:token', async (req, reply) => sendPage(reply, newPasswordPage(reply, (req.params as any).token, emptyForm())));
  app.post('/mot-de-passe/nouveau/:token', { ...csrf, config: limited }, async (req, reply) => {
    const token = (req.params as any).token as string;
    const values = formValues(req);
    if (await submitForm(reply, values, () => accounts.resetPassword(ctx, token, values), (f) => newPasswordPage(reply, token, f)))
      return sendPage(reply, loginPage(reply, emptyForm(), '/', 'Votre mot de passe a été changé. Connectez-vous.'));
  });

  // My account
  const accountPage = async (req: FastifyRequest, reply: FastifyReply, forms: { password?: FormState; email?: FormState } = {}, flash?: string) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return null;
    const u = await accounts.findUserById(ctx.db, page.user.id);
    return (
      <Layout title="Mon compte" user={page.user} unread={page.unread} flash={flash}>
        <h1>Mon compte</h1>
        <dl class="facts">
          <dt>Nom</dt><dd>{u!.first_name} {u!.last_name}</dd>
          <dt>Adresse de connexion</dt><dd>{u!.email}</dd>
          <dt>Double authentification</dt><dd>{u!.totp_enabled_at ? 'Activée' : 'Désactivée'} — <a href="/compte/double-authentification">Gérer</a></dd>
        </dl>
        <section aria-labelledby="mdp">
          <h2 id="mdp">Changer mon mot de passe</h2>
          <ErrorSummary form={forms.password ?? emptyForm()} />
          <form method="post" action="/compte/mot-de-passe" novalidate>
            <Csrf token={page.csrf} />
            <Field name="currentPassword" label="Mot de passe actuel" type="password" form={forms.password ?? emptyForm()} required autocomplete="current-password" />
            <Field name="password" label="Nouveau mot de passe" type="password" form={forms.password ?? emptyForm()} required hint={PASSWORD_HINT} autocomplete="new-password" />
            <button type="submit">Changer le mot de passe</button>
          </form>
        </section>
        <section aria-labelledby="adresse">
          <h2 id="adresse">Changer mon adresse de connexion</h2>
          <ErrorSummary form={forms.email ?? emptyForm()} />
          <form method="post" action="/compte/adresse" novalidate>
            <Csrf token={page.csrf} />
            <Field name="newEmail" label="Nouvelle adresse" type="email" form={forms.email ?? emptyForm()} required autocomplete="email" />
            <Field name="password" label="Mot de passe" type="password" form={forms.email ?? emptyForm()} required autocomplete="current-password" />
            <button type="submit">Recevoir un lien de confirmation</button>
          </form>
        </section>
        <NotificationPreferencesSection csrf={page.csrf} prefs={await getNotificationPreferences(ctx, page.actor)} />
      </Layout>
    );
  };
  app.get('/compte', async (req, reply) => {
    const el = await accountPage(req, reply, {}, (req.query as Record<string, string>)?.notifications ? 'Vos préférences de notification sont enregistrées.' : undefined);
    if (el) return sendPage(reply, el);
  });
  app.post('/compte/mot-de-passe', csrf, async (req, reply) => {
    if (!req.auth.actor) return redirect(reply, '/connexion');
    const values = formValues(req);
    try {
      await accounts.changePassword(ctx, req.auth.actor, values, req.auth.session?.tokenHash);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL') {
        const el = await accountPage(req, reply, { password: { values: {}, errors: err.fields ?? {}, message: err.userMessage } });
        if (el) return sendPage(reply, el, 400);
        return;
      }
      throw err;
    }
    const el = await accountPage(req, reply, {}, 'Votre mot de passe a été changé.');
    if (el) return sendPage(reply, el);
  });
  app.post('/compte/adresse', csrf, async (req, reply) => {
    if (!req.auth.actor) return redirect(reply, '/connexion');
    const values = formValues(req);
    try {
      await accounts.requestLoginEmailChange(ctx, req.auth.actor, values);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL') {
        const el = await accountPage(req, reply, { email: { values: { newEmail: values.newEmail ?? '' }, errors: err.fields ?? {}, message: err.userMessage } });
        if (el) return sendPage(reply, el, 400);
        return;
      }
      throw err;
    }
    const el = await accountPage(req, reply, {}, `Un lien de confirmation a été envoyé à ${values.newEmail}. Votre adresse actuelle reste valable jusqu'à la confirmation.`);
    if (el) return sendPage(reply, el);
  });
  app.get('/adresse/confirmer/:token', async (req, reply) =>
    sendPage(reply, (
      <Layout title="Confirmer ma nouvelle adresse">
        <h1>Confirmer ma nouvelle adresse de connexion</h1>
        <form method="post" action={`/adresse/confirmer/${encodeURIComponent((req.params as any).token)}`}>
          <Csrf token={reply.generateCsrf()} />
          <button type="submit">Confirmer</button>
        </form>
      </Layout>
    )));
  app.post('/adresse/confirmer/:token', csrf, async (req, reply) => {
    const r = await accounts.confirmLoginEmailChange(ctx, (req.params as any).token);
    return sendPage(reply, (
      <Layout title="Adresse confirmée" flash={`Votre adresse de connexion est désormais ${r.email}.`}>
        <h1>Adresse confirmée</h1>
        <p><a href="/">Continuer</a></p>
      </Layout>
    ));
  });

  // Two-factor authentication
  const totpPage = async (req: FastifyRequest, reply: FastifyReply, form: FormState, flash?: string) => {
    const s = req.auth.session;
    if (!s) return redirect(reply, '/connexion');
    if (s.pendingSecondFactor === 'VERIFY') return redirect(reply, '/connexion/code');
    const actor = { userId: s.user.id, isTechnical: false };
    const user = await accounts.findUserById(ctx.db, s.user.id);
    const enrolling = s.pendingSecondFactor === 'ENROL';
    let enrolment: { secret: string; uri: string } | null = null;
    if (!user!.totp_enabled_at) enrolment = form.values.secret ? { secret: form.values.secret, uri: form.values.uri } : await accounts.startTotpEnrolment(ctx, actor);
    const csrfToken = reply.generateCsrf();
    return sendPage(reply, (
      <Layout title="Double authentification" user={enrolling ? null : s.user} flash={flash}>
        <h1>Double authentification</h1>
        {enrolling ? <p class="notice" role="status">Une de vos structures impose la double authentification : activez-la pour continuer.</p> : null}
        <ErrorSummary form={form} />
        {user!.totp_enabled_at ? (
          <>
            <p>La double authentification est <strong>activée</strong> sur votre compte.</p>
            <form method="post" action="/compte/double-authentification/desactiver" novalidate>
              <Csrf token={csrfToken} />
              <Field name="code" label="Code à 6 chiffres pour désactiver" form={form} required autocomplete="one-time-code" inputmode="numeric" maxlength={6} />
              <button type="submit" class="secondary">Désactiver</button>
            </form>
          </>
        ) : (
          <>
            <ol>
              <li>Ouvrez votre application d'authentification (FreeOTP, Aegis, Google Authenticator…).</li>
              <li>Ajoutez un compte avec cette clé : <code id="totp-secret">{enrolment!.secret}</code> (ou le lien <a href={enrolment!.uri}>otpauth</a>).</li>
              <li>Saisissez le code à 6 chiffres qu'elle affiche.</li>
            </ol>
            <form method="post" action="/compte/double-authentification" novalidate>
              <Csrf token={csrfToken} />
              <input type="hidden" name="secret" value={enrolment!.secret} />
              <input type="hidden" name="uri" value={enrolment!.uri} />
              <Field name="code" label="Code à 6 chiffres" form={form} required autocomplete="one-time-code" inputmode="numeric" maxlength={6} />
              <button type="submit">Activer la double authentification</button>
            </form>
          </>
        )}
      </Layout>
    ), Object.keys(form.errors).length || form.message ? 400 : 200);
  };
  app.get('/compte/double-authentification', async (req, reply) => totpPage(req, reply, emptyForm()));
  app.post('/compte/double-authentification', { ...csrf, config: limited }, async (req, reply) => {
    const s = req.auth.session;
    if (!s) return redirect(reply, '/connexion');
    const values = formValues(req);
    try {
      await accounts.confirmTotpEnrolment(ctx, { userId: s.user.id, isTechnical: false }, values, req.auth.sessionToken ?? undefined);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL')
        return totpPage(req, reply, { values: { secret: values.secret ?? '', uri: values.uri ?? '' }, errors: err.fields ?? {}, message: err.userMessage });
      throw err;
    }
    return redirect(reply, '/?totp=1');
  });
  app.post('/compte/double-authentification/desactiver', { ...csrf, config: limited }, async (req, reply) => {
    if (!req.auth.actor) return redirect(reply, '/connexion');
    const values = formValues(req);
    try {
      await accounts.disableTotp(ctx, req.auth.actor, values);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL') return totpPage(req, reply, { values: {}, errors: err.fields ?? {}, message: err.userMessage });
      throw err;
    }
    return totpPage(req, reply, emptyForm(), 'La double authentification est désactivée.');
  });
}
