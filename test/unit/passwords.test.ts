import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblems } from '../../src/accounts/index.ts';
import { passwordMessage } from '../../src/accounts/model.ts';

test('a password containing the login address is refused with a readable sentence', () => {
  assert.equal(passwordMessage(passwordProblems('Admin-Password-2026!', 'admin@example.test')), "Le mot de passe ne doit pas contenir l'adresse de connexion.");
  assert.equal(passwordMessage(passwordProblems('admin', 'admin@example.test')), "Le mot de passe doit contenir au moins 12 caractères, une majuscule, un chiffre, un caractère spécial et ne doit pas contenir l'adresse de connexion.");
});
