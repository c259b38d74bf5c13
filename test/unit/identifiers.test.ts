import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkStructureIdentifier, frenchVatNumber, isValidSiren, isValidSiret, luhnValid, sirenOf } from '../../src/shared/identifiers.ts';

describe('French company identifiers', () => {
  test('the Luhn checksum accepts valid numbers and catches a single wrong digit', () => {
    assert.equal(luhnValid('404833048'), true);
    assert.equal(luhnValid('404833049'), false);
    assert.equal(luhnValid('40483304800014'), true);
    assert.equal(luhnValid('40483304800015'), false);
    assert.equal(luhnValid('0'), true);
  });

  test('a SIREN has 9 digits and a valid key', () => {
    assert.equal(isValidSiren('404833048'), true);
    assert.equal(isValidSiren('404833047'), false);
    assert.equal(isValidSiren('40483304'), false);
    assert.equal(isValidSiren('40483304A'), false);
  });

  test('a SIRET has 14 digits and a valid key; its SIREN is its first 9 digits', () => {
    assert.equal(isValidSiret('40483304800014'), true);
    assert.equal(isValidSiret('40483304800013'), false);
    assert.equal(isValidSiret('4048330480001'), false);
    assert.equal(isValidSiret('404833048 00014'), false);
    assert.equal(sirenOf('40483304800014'), '404833048');
  });

  test("La Poste's establishments are checked by the sum of their digits (a multiple of 5), not by Luhn", () => {
    assert.equal(isValidSiret('35600000000048'), true, 'head office');
    assert.equal(luhnValid('35600000049837'), false, 'fails Luhn…');
    assert.equal(isValidSiret('35600000049837'), true, '…but its digits sum to 45');
    assert.equal(isValidSiret('35600000049838'), false, 'digit sum 46');
    assert.equal(isValidSiret('35700000049804'), false, 'the exception is for SIREN 356000000 only');
  });

  test('the French VAT number is FR, a key (12 + 3 × (SIREN mod 97)) mod 97 on 2 digits, then the SIREN', () => {
    assert.equal(frenchVatNumber('404833048'), 'FR83404833048');
    assert.equal(frenchVatNumber('356000000'), 'FR39356000000');
    assert.match(frenchVatNumber('000000000'), /^FR12000000000$/);
  });

  test('each identifier type has its own format and a French message when wrong', () => {
    assert.equal(checkStructureIdentifier('SIRET', '40483304800014'), null);
    assert.match(checkStructureIdentifier('SIRET', '4048330480001')!, /14 chiffres/);
    assert.match(checkStructureIdentifier('SIRET', '40483304800015')!, /clé de contrôle/);
    assert.equal(checkStructureIdentifier('UE_HORS_FRANCE', 'DE123456789'), null);
    assert.match(checkStructureIdentifier('UE_HORS_FRANCE', 'FR12345678901')!, /code du pays/, 'France is not "EU outside France"');
    assert.equal(checkStructureIdentifier('HORS_UE', 'CHE-123.456.789'), null);
    assert.match(checkStructureIdentifier('HORS_UE', 'a'.repeat(81))!, /80 caractères/);
    assert.equal(checkStructureIdentifier('RIDET', '1234567001'), null);
    assert.match(checkStructureIdentifier('RIDET', '1234567')!, /RIDET/);
    assert.equal(checkStructureIdentifier('TAHITI', 'A12345'), null);
    assert.equal(checkStructureIdentifier('TAHITI', 'A12345001'), null);
    assert.match(checkStructureIdentifier('TAHITI', '123456')!, /TAHITI/);
    assert.equal(checkStructureIdentifier('AUTRE', 'ASSO-2024/17'), null);
    assert.match(checkStructureIdentifier('PARTICULIER', 'é')!, /1 à 80 caractères/);
  });
});
