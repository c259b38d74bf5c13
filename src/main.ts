import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from './config/index.ts';
import { openDatabase } from './db/open-database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startApp, type App } from './app.ts';
import { seedDemo, DEMO_PASSWORD, demoLogins, isSeeded } from './demo/seed.ts';
import { createActiveUser } from './accounts/index.ts';
import { AppError } from './shared/app-error.ts';
import { registerFormatsCommands } from './cli/formats-commands.ts';
import { registerDumeCommands } from './cli/dume-commands.ts';
import { registerInvoicesCommands } from './cli/invoices-commands.ts';
import { runSandboxSeed } from './cli/sandbox-command.ts';
import { isClusterWorker, isFirstClusterWorker, joinServeCluster, runServeCluster } from './http/cluster.ts';

const program = new Command('ouvrage').description('Ouvrage — DUME et facturation compatible Chorus Pro');

/** Stops cleanly on SIGINT/SIGTERM: HTTP stops accepting, jobs finish, the database closes. */
function closeOnSignals(app: App) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} reçu : arrêt en cours…`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The demonstration data on a first start (SEED_DEMO), before serving. */
async function seedOnStart(app: App) {
  const { config } = app;
  if (config.SEED_DEMO === 'yes' || (config.SEED_DEMO === 'auto' && !(await isSeeded(app.ctx)) && config.DATABASE_URL.startsWith('pglite://'))) {
    const technical = await seedDemo(app.ctx);
    console.log('Données de démonstration créées.');
    console.log(`Compte technique de BTP Durand pour l'API (affiché une seule fois) : ${technical.login} / ${technical.password}`);
  }
}

function printStarted(config: Config, mailbox: boolean, seeded: boolean) {
  console.log(`\nOuvrage est démarré : ${config.publicUrl}${config.SERVE_PROCESSES > 1 ? ` (${config.SERVE_PROCESSES} processus HTTP)` : ''}`);
  console.log(`Documentation de l'API : ${config.publicUrl}/api/docs`);
  if (mailbox) console.log(`Courriels (développement) : ${config.publicUrl}/dev/courriels`);
  if (seeded) {
    console.log(`\nComptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`);
    for (const l of demoLogins) console.log(`  ${l.email.padEnd(42)} ${l.role}`);
  }
}

program
  .command('serve')
  .description("démarre l'interface web, l'API et les tâches de fond dans un seul processus (SERVE_PROCESSES : plusieurs processus HTTP)")
  .action(async () => {
    const config = loadConfig();
    if (config.SERVE_PROCESSES > 1 && !isClusterWorker()) {
      if (config.DATABASE_URL.startsWith('pglite://'))
        throw new InvalidArgumentError('SERVE_PROCESSES > 1 demande PostgreSQL (DATABASE_URL=postgres://…) : la base PGlite appartient à un seul processus.');
      // Migrations and the demonstration data once, then the HTTP processes.
      const setup = await startApp({ config, http: false, workers: false });
      await seedOnStart(setup);
      const seeded = await isSeeded(setup.ctx);
      await setup.close();
      runServeCluster(config.SERVE_PROCESSES, () => printStarted(config, !config.SMTP_URL, seeded));
      return;
    }
    if (isClusterWorker()) {
      const app = await startApp({ config, listen: true, workers: config.WORKERS === 'on' && isFirstClusterWorker() });
      closeOnSignals(app);
      joinServeCluster();
      return;
    }
    const app = await startApp({ config, listen: true });
    closeOnSignals(app);
    await seedOnStart(app);
    printStarted(config, !!app.mailbox, await isSeeded(app.ctx));
  });

program
  .command('worker')
  .description('exécute uniquement les tâches de fond (pour répartir la charge)')
  .action(async () => {
    const app = await startApp({ http: false, workers: true });
    closeOnSignals(app);
    console.log('Tâches de fond démarrées.');
  });

program
  .command('migrate')
  .description('applique les migrations de la base de données')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase(config.DATABASE_URL);
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Base de données à jour.');
    await database.close();
  });

program
  .command('seed')
  .description('crée les données de démonstration (une seule fois)')
  .option('--sandbox', 'crée le jeu de qualification du bac à sable compatible Chorus Pro (docs/sandbox.md)')
  .option('--json', 'avec --sandbox : affiche structures, comptes techniques et applications OAuth en un document JSON')
  .action(async (opts: { sandbox?: boolean; json?: boolean }) => {
    const app = await startApp({ http: false, workers: false });
    if (opts.sandbox) {
      await runSandboxSeed(app.ctx, !!opts.json);
      await app.close();
      return;
    }
    if (await isSeeded(app.ctx)) console.log('Données de démonstration déjà présentes.');
    else {
      const technical = await seedDemo(app.ctx);
      console.log('Données de démonstration créées.');
      console.log(`Compte technique de BTP Durand pour l'API (affiché une seule fois) : ${technical.login} / ${technical.password}`);
    }
    await app.close();
  });

const user = program.command('user').description('gestion des comptes');
user
  .command('create')
  .description('crée un compte actif (sans lien d’activation)')
  .requiredOption('--email <email>', 'adresse de connexion')
  .requiredOption('--first-name <prénom>', 'prénom')
  .requiredOption('--last-name <nom>', 'nom')
  .option('--password <mot de passe>', 'mot de passe (sinon variable OUVRAGE_PASSWORD)')
  .action(async (o: { email: string; firstName: string; lastName: string; password?: string }) => {
    const password = o.password ?? process.env.OUVRAGE_PASSWORD;
    if (!password) throw new InvalidArgumentError('Indiquez --password ou la variable OUVRAGE_PASSWORD.');
    const app = await startApp({ http: false, workers: false });
    try {
      const { userId } = await createActiveUser(app.ctx, { email: o.email, firstName: o.firstName, lastName: o.lastName, password });
      console.log(`Compte créé (id ${userId}).`);
    } finally {
      await app.close();
    }
  });

registerFormatsCommands(program);
registerDumeCommands(program);
registerInvoicesCommands(program);

program.parseAsync(process.argv).catch((err) => {
  if (err instanceof AppError) {
    console.error(`Erreur : ${err.userMessage}${err.fields ? ' ' + JSON.stringify(err.fields) : ''}`);
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
