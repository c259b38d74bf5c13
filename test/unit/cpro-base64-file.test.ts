import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64File } from '../../src/cpro/input.ts';

const refusal = (v: unknown) => {
  try {
    base64File(v, 'fichierFlux');
  } catch (e) {
    return (e as { libelle?: string; message: string }).libelle ?? (e as Error).message;
  }
  return null;
};

test('a base64 file: plain, with blanks, url-safe; refused when absent or not base64, naming the field', () => {
  const bytes = Buffer.from('<Invoice>é</Invoice>\n'.repeat(20));
  const b64 = bytes.toString('base64');
  assert.deepEqual(base64File(b64, 'f'), bytes);
  assert.deepEqual(base64File(b64.replace(/(.{76})/g, '$1\r\n') + '\n', 'f'), bytes);
  assert.deepEqual(base64File(`  ${b64.slice(0, 40)}\t${b64.slice(40)} `, 'f'), bytes);
  assert.deepEqual(base64File(bytes.toString('base64url'), 'f'), bytes);
  for (const absent of [undefined, null, '', '  \n ', 42, {}]) assert.match(refusal(absent)!, /\[fichierFlux\] Le fichier \(encodé en base64\) est obligatoire\./);
  for (const bad of ['abc$', 'ab=c', 'abc===', '<xml/>', `${b64.slice(0, 10)} é`]) assert.match(refusal(bad)!, /\[fichierFlux\] Le fichier doit être encodé en base64\./);
});
