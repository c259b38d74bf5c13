import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CII_CATALOGUE, UBL_CATALOGUE } from '../../src/validation/en16931/catalogue.ts';
import { frenchMessage } from '../../src/validation/en16931/messages-fr.ts';

/** Every rule of both EN 16931 sets has a French message, in French, naming the BT/BG its official message cites. */
test('every EN 16931 rule has a French message naming the fields it checks', () => {
  const problems: string[] = [];
  for (const cat of [UBL_CATALOGUE, CII_CATALOGUE]) {
    for (const [id, [, official]] of Object.entries(cat)) {
      const fr = frenchMessage(id, official);
      if (/\b(should|shall|must|include|present)\b|non respectée/i.test(fr)) problems.push(`${id}: ${fr}`);
      // Business rules name the terms: at least one BT/BG number of the official message is repeated.
      const cited = [...official.matchAll(/\b(B[TG])-?(\d+)/g)].map((m) => `${m[1]}-${m[2]}`);
      // (BR-51's official message cites BT-97 for the card number, which is BT-87: the French one says BT-87.)
      if (id.startsWith('BR-') && id !== 'BR-51' && cited.length && !cited.some((c) => fr.includes(c))) problems.push(`${id}: no BT/BG in ${fr}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('French messages read as a clerk would say them', () => {
  assert.equal(frenchMessage('BR-CL-04', UBL_CATALOGUE['BR-CL-04'][1]), 'La devise de la facture (BT-5) doit être un code ISO 4217 à trois lettres (EUR, USD…).');
  assert.match(frenchMessage('CII-SR-465', CII_CATALOGUE['CII-SR-465'][1]), /contact du vendeur \(BT-41\)/);
  assert.match(frenchMessage('BR-S-08', CII_CATALOGUE['BR-S-08'][1]), /taux normal \(S\).*BT-116/);
});
