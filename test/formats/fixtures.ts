import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The shared e-invoice fixtures, read in place (never copied into the project). */
export const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'samples');

export function fixtureFiles(dir: string, pattern = /\.xml$/i): string[] {
  return readdirSync(path.join(FIXTURES, dir))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => path.join(FIXTURES, dir, f));
}

export const UBL_DIRS = ['cen-en16931/ubl/examples', 'zugferd-corpus/XML-Rechnung/UBL'];
export const CII_DIRS = ['cen-en16931/cii/examples', 'zugferd-corpus/XML-Rechnung/CII'];
export const AKRETION = 'akretion-factur-x';
