import { Command } from 'commander';
import { AppError } from '../shared/app-error.ts';
import { registerValidateCommand } from './validate-command.ts';

/**
 * Entry of `ouvrage validate` alone: `bin/ouvrage.mjs` loads this instead of src/main.ts for that command, so
 * that validating one file does not load the server, the database and the PDF generator (cold start).
 */
const program = new Command('ouvrage');
registerValidateCommand(program);
program.parseAsync(process.argv).catch((err) => {
  if (err instanceof AppError) console.error(`Erreur : ${err.userMessage}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
