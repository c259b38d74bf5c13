import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { base64File } from '../../src/cpro/input.ts';
import { cutLongStrings, LONG_STRING_BYTES, parseJsonWithFiles } from '../../src/http/json-with-files.ts';
import { DecodedFile } from '../../src/shared/decoded-file.ts';

const base64 = (n: number) => randomBytes(n).toString('base64');
/** What the cut text parses to, with the long strings put back: must be JSON.parse of the UTF-8 text. */
const parsed = (text: string) => {
  const body = Buffer.from(text);
  const cut = cutLongStrings(body);
  return { cut, value: cut ? cut.restore(JSON.parse(cut.text)) : JSON.parse(body.toString('utf8')) };
};

test('a flow body: the file in base64 is cut out and put back, the rest parsed as JSON', () => {
  const file = base64(300_000);
  const text = JSON.stringify({ fichierFlux: file, nomFichier: 'lot « été ».zip', syntaxeFlux: 'IN_DP_E1_UBL_INVOICE', avecSignature: false });
  const { cut, value } = parsed(text);
  assert.ok(cut, 'the long string is cut');
  assert.ok(cut.text.length < 200, `the parsed text is short: ${cut.text.length}`);
  assert.deepEqual(value, JSON.parse(text));
});

test('the same value as JSON.parse whatever the strings hold: escapes, quotes, long keys, non-ASCII, nesting', () => {
  const long = base64(LONG_STRING_BYTES);
  const cases = [
    { a: long, b: [long, { c: long }], d: 'court' },
    { [long]: 'a long key stays a key', v: long },
    { escaped: `${long}\\"${long}`, quote: `x"${long}`, newline: `${long}\n${long}` },
    { accent: `é${long}`, after: `${long}€`, emoji: '😀', n: 12.5, t: true, z: null },
    [long, '\\', '\\\\', `${'\\'.repeat(3)}"`, long],
    { backslashes: `${long}\\\\`, then: long },
    // Between two strings, 64 KiB of numbers: a quote taken for escaped would make that a string.
    ['\\\\', 's', ...Array.from({ length: LONG_STRING_BYTES / 2 }, () => 1), 't'],
    { marker: '\u0000abc:0', also: long },
    { spaced: long, ' key ': 1 },
    { nested: { deeper: { deepest: [[[long]]] } } },
  ];
  for (const c of cases) {
    const text = JSON.stringify(c);
    assert.deepEqual(parsed(text).value, JSON.parse(text), text.slice(0, 80));
    const pretty = JSON.stringify(c, null, 2);
    assert.deepEqual(parsed(pretty).value, JSON.parse(pretty));
  }
});

test('a string not plain ASCII, or a key, is left to the parser', () => {
  const long = base64(LONG_STRING_BYTES);
  assert.equal(cutLongStrings(Buffer.from(JSON.stringify({ v: `${long}é` }))), null);
  assert.equal(cutLongStrings(Buffer.from(JSON.stringify({ v: `${long}\t` }))), null);
  assert.equal(cutLongStrings(Buffer.from(JSON.stringify({ [long]: 1 }))), null);
  assert.equal(cutLongStrings(Buffer.from(JSON.stringify({ v: long.slice(0, 1000) }))), null, 'short bodies are not scanned');
});

test('invalid JSON stays invalid once cut', () => {
  const long = base64(LONG_STRING_BYTES);
  for (const text of [`{"a": "${long}"`, `{"a": "${long}", }`, `{"a" "${long}"}`, `{"a": "${long}`, `["${long}" "${long}"]`, `{"a": "${long}"}}`]) {
    const cut = cutLongStrings(Buffer.from(text));
    assert.throws(() => JSON.parse(cut ? cut.text : text), SyntaxError, text.slice(0, 20));
  }
});

test('through Fastify: the value, the refusals of invalid JSON and of prototype poisoning, as before', async () => {
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  await app.register(async (scope) => {
    parseJsonWithFiles(scope);
    scope.post('/echo', async (req) => ({ keys: Object.keys(req.body as object), length: ((req.body as { f?: string }).f ?? '').length, same: (req.body as { f?: string }).f === file }));
  });
  const file = base64(1_000_000);
  const post = (payload: string) => app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
  const ok = await post(JSON.stringify({ f: file, nom: 'ç' }));
  assert.deepEqual(ok.json(), { keys: ['f', 'nom'], length: file.length, same: true });
  assert.equal((await post(`{"f": "${file}",}`)).statusCode, 400);
  assert.equal((await post(`{"f": "${file}", "__proto__": {"x": 1}}`)).statusCode, 400);
  assert.equal((await post(`{"f": "${file}", "constructor": {"prototype": {"x": 1}}}`)).statusCode, 400);
  assert.equal((await post('')).statusCode, 400);
  assert.equal((await post('{"petit": 1}')).statusCode, 200);
  await app.close();
});

const FILES = new Set(['fichierFlux', 'fichierFacture']);

test('a file field in base64 comes decoded, byte for byte what Buffer.from(text, "base64") gives, whatever its length', () => {
  for (const n of [LONG_STRING_BYTES, LONG_STRING_BYTES + 1, LONG_STRING_BYTES + 2, 3 * 65536, 3 * 65536 + 1, 1_000_001]) {
    const bytes = randomBytes(n);
    for (const text of [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')]) {
      const body = Buffer.from(JSON.stringify({ nomFichier: 'x.zip', fichierFlux: text, syntaxeFlux: 'S' }, null, n % 2 ? 2 : 0));
      const cut = cutLongStrings(body, FILES)!;
      const value = cut.restore(JSON.parse(cut.text)) as Record<string, unknown>;
      assert.ok(value.fichierFlux instanceof DecodedFile, `${n}: decoded`);
      assert.ok(value.fichierFlux.bytes.equals(bytes), `${n}: the same bytes`);
      assert.deepEqual({ ...value, fichierFlux: null }, { nomFichier: 'x.zip', fichierFlux: null, syntaxeFlux: 'S' });
    }
  }
});

test('only a file field is decoded, and only base64 without blanks; anything else stays the string JSON.parse gives', () => {
  const long = base64(LONG_STRING_BYTES);
  const cases = [
    { autre: long, fichierFacture: 'court' },
    { fichierFlux: `${long.slice(0, 70_000)}\n${long.slice(70_000)}` },
    { fichierFlux: `${long.slice(0, 1000)} ${long}` },
    { fichierFlux: `${long}=${long}` },
    { fichierFlux: `${long}é` },
    { [long]: 'fichierFlux', fichierFlux: [long] },
    { nested: { fichierFluxx: long, xfichierFlux: long } },
  ];
  for (const c of cases) {
    const text = JSON.stringify(c);
    const cut = cutLongStrings(Buffer.from(text), FILES);
    assert.deepEqual(cut ? cut.restore(JSON.parse(cut.text)) : JSON.parse(text), JSON.parse(text), text.slice(0, 60));
  }
  const nested = cutLongStrings(Buffer.from(JSON.stringify({ a: [{ fichierFacture: long }] })), FILES)!;
  const value = nested.restore(JSON.parse(nested.text)) as { a: Array<{ fichierFacture: DecodedFile }> };
  assert.ok(value.a[0]!.fichierFacture.bytes.equals(Buffer.from(long, 'base64')), 'a file field in a nested object is decoded too');
});

test('through Fastify and base64File: the decoded file, and a file with line breaks read as before', async () => {
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  await app.register(async (scope) => {
    parseJsonWithFiles(scope, FILES);
    scope.post('/file', async (req) => {
      const body = req.body as Record<string, unknown>;
      return { decoded: body.fichierFlux instanceof DecodedFile, sha: createHash('sha256').update(base64File(body.fichierFlux, 'fichierFlux')).digest('hex') };
    });
  });
  const bytes = randomBytes(500_000);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const post = (fichierFlux: string) => app.inject({ method: 'POST', url: '/file', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ fichierFlux }) });
  assert.deepEqual((await post(bytes.toString('base64'))).json(), { decoded: true, sha });
  assert.deepEqual((await post(bytes.toString('base64').replace(/.{76}/g, '$&\r\n'))).json(), { decoded: false, sha });
  await app.close();
});
