import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.ts';
import type { Actor } from '../../src/context.ts';
import { createActiveUser } from '../../src/accounts/index.ts';
import { createStructure, type CreateStructureInput } from '../../src/structures/create-structure.ts';
import { createEngagement, createService, editStructure } from '../../src/structures/index.ts';
import { luhnValid } from '../../src/shared/identifiers.ts';

export const PASSWORD = 'Correct-Horse-42!';

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}@example.test`;

/** A random SIRET whose SIREN and SIRET both pass the Luhn check. */
export function randomSiret(): string {
  for (;;) {
    const base = String(100000000 + Math.floor(Math.random() * 800000000)).slice(0, 8);
    for (let d = 0; d < 10; d++) {
      const siren = base + d;
      if (!luhnValid(siren)) continue;
      for (let k = 10; k < 100; k++) {
        const siret = `${siren}000${k}`;
        if (luhnValid(siret)) return siret;
      }
    }
  }
}

export async function newUser(app: App, overrides: { email?: string; firstName?: string; lastName?: string } = {}): Promise<Actor & { email: string }> {
  const email = overrides.email ?? uniqueEmail();
  const { userId } = await createActiveUser(app.ctx, { email, firstName: overrides.firstName ?? 'Jeanne', lastName: overrides.lastName ?? 'Test', password: PASSWORD });
  return { userId, isTechnical: false, email };
}

export async function newStructure(app: App, gp: Actor, overrides: Partial<CreateStructureInput> = {}) {
  const siret = overrides.identifier ?? randomSiret();
  const { structureId } = await createStructure(app.ctx, gp, {
    identifierType: 'SIRET',
    identifier: siret,
    name: `Structure ${siret}`,
    kind: 'PRIVEE',
    postcode: '75001',
    city: 'Paris',
    ...overrides,
  });
  return { structureId, siret };
}

/** A JSON API client over fastify's inject(). */
export function apiClient(app: App, token?: string) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.http!.inject({
      method,
      url: url.startsWith('/api/') ? url : `/api/v1${url}`,
      payload: body as any,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    let json: any = null;
    try {
      json = res.json();
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: json, raw: res };
  };
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call('POST', url, body ?? {}, headers),
    put: (url: string, body?: unknown) => call('PUT', url, body ?? {}),
    patch: (url: string, body?: unknown) => call('PATCH', url, body ?? {}),
    delete: (url: string) => call('DELETE', url),
  };
}

/** Logs in through the API and returns a client carrying the session token. */
export async function loggedInClient(app: App, email: string, password = PASSWORD) {
  const res = await apiClient(app).post('/sessions', { email, password });
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return Object.assign(apiClient(app, res.body.token), { token: res.body.token as string });
}

export const linkToken = (text: string, pathPrefix: string) => {
  const m = text.match(new RegExp(`${pathPrefix.replace(/\//g, '\\/')}([a-z0-9]+)`));
  if (!m) throw new Error(`no link ${pathPrefix} in mail: ${text}`);
  return m[1];
};

/**
 * A supplier and a public buyer requiring a service code, whose service TECH requires an EJ (1000012345)
 * registered for the supplier; with `schools`, a service ECOLES that requires nothing.
 */
export async function supplierAndBuyer(app: App, names: { supplier: string; buyer: string; schools?: boolean }) {
  const supplierGp = await newUser(app, { firstName: 'Marie', lastName: 'Fournisseur' });
  const buyerGp = await newUser(app, { firstName: 'Claire', lastName: 'Acheteuse' });
  const supplier = await newStructure(app, supplierGp, { name: names.supplier });
  const buyer = await newStructure(app, buyerGp, { name: names.buyer, kind: 'PUBLIQUE' });
  await editStructure(app.ctx, buyerGp, buyer.structureId, { parameters: { codeServiceDoitEtreRenseigne: true } });
  await createService(app.ctx, buyerGp, buyer.structureId, { code: 'TECH', name: 'Services techniques', numeroEjDoitEtreRenseigne: true });
  if (names.schools) await createService(app.ctx, buyerGp, buyer.structureId, { code: 'ECOLES', name: 'Écoles' });
  await createEngagement(app.ctx, buyerGp, buyer.structureId, { number: '1000012345', state: 'COMMANDE', amount: '48500.00', serviceCode: 'TECH', supplierSiret: supplier.siret });
  return { supplierGp, buyerGp, supplier, buyer };
}
