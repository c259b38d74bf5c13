import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { cookiesOf, webSession } from '../helpers/web-session.ts';
import { logIn } from '../../src/accounts/index.ts';
import type { Actor } from '../../src/context.ts';
import { createOAuthClient } from '../../src/cpro/index.ts';
import { createDraft } from '../../src/invoices/index.ts';
import { createContract } from '../../src/contracts/index.ts';
import { createWorksContract, depositPiece } from '../../src/works/index.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  attachUser,
  can,
  createTechnicalAccount,
  hasRight,
  requestRattachement,
  setHabilitations,
  spacesOfKind,
  technicalAccountSpaces,
  transferPrincipalManager,
  SPACE_CODES,
  type Membership,
  type StructureAction,
} from '../../src/structures/index.ts';

/**
 * Every /api/v1 route under /structures/{id} × every kind of caller, with the expected outcome.
 * The expectations come from STRUCTURE_PERMISSIONS (through can()), so the table and the rules cannot
 * drift apart; a few key cells are also written out by hand below.
 */
type Role = 'anonymous' | 'outsider' | 'memberWithoutRights' | 'memberWithAllRights' | 'principalManager' | 'technicalAccount';
type Outcome = 401 | 403 | 404 | 'allowed';
const ROLES: Role[] = ['anonymous', 'outsider', 'memberWithoutRights', 'memberWithAllRights', 'principalManager', 'technicalAccount'];

interface World {
  app: Awaited<ReturnType<typeof startTestApp>>;
  structureId: number;
  gp: Actor;
  memberAll: Actor;
  /** A fresh user, for cells that change someone. */
  freshUser(): Promise<Actor & { email: string }>;
  /** A fresh validated member. */
  freshMember(): Promise<Actor & { email: string }>;
}
interface Call {
  url: string;
  body?: unknown;
  /** Runs after the call (e.g. to give the role back). */
  undo?: (status: number) => Promise<void>;
}
interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, as listed by /api/docs/json. */
  path: string;
  /** The permission the route checks; null for routes that are not structure actions. */
  action: StructureAction | null;
  /** When the rule is not a plain action (e.g. one space's right). */
  allows?: (m: Membership) => boolean;
  /** Outcomes that do not follow the membership (e.g. outsiders may ask to join). */
  special?: Partial<Record<Role, Outcome>>;
  call: (w: World) => Promise<Call>;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
const S = (w: World) => `/api/v1/structures/${w.structureId}`;

const ROUTES: RouteCase[] = [
  // Structure (other areas' routes are listed too: every route under /structures/{id} is here).
  { method: 'GET', path: '/structures/{id}', action: 'structure.view', call: async (w) => ({ url: S(w) }) },
  { method: 'PATCH', path: '/structures/{id}', action: 'structure.edit', call: async (w) => ({ url: S(w), body: { city: 'Lyon' } }) },
  { method: 'GET', path: '/structures/{id}/history', action: 'history.view', call: async (w) => ({ url: `${S(w)}/history` }) },
  { method: 'GET', path: '/structures/{id}/services', action: 'services.view', call: async (w) => ({ url: `${S(w)}/services` }) },
  { method: 'POST', path: '/structures/{id}/services', action: 'services.manage', call: async (w) => ({ url: `${S(w)}/services`, body: { code: `S${unique()}`, name: 'Service de test' } }) },
  {
    method: 'PATCH', path: '/structures/{id}/services/{serviceId}', action: 'services.manage',
    call: async (w) => {
      const s = await w.app.ctx.db.insertInto('services').values({ structure_id: w.structureId, code: `S${unique()}`, name: 'Service' }).returning('id').executeTakeFirstOrThrow();
      return { url: `${S(w)}/services/${s.id}`, body: { name: 'Service renommé' } };
    },
  },
  { method: 'GET', path: '/structures/{id}/engagements', action: 'engagements.view', call: async (w) => ({ url: `${S(w)}/engagements` }) },
  { method: 'POST', path: '/structures/{id}/engagements', action: 'engagements.manage', call: async (w) => ({ url: `${S(w)}/engagements`, body: { number: `EJ${unique()}` } }) },
  {
    method: 'GET', path: '/structures/{id}/engagements/{engagementId}', action: 'engagements.view',
    call: async (w) => ({ url: `${S(w)}/engagements/${await engagement(w)}` }),
  },
  {
    method: 'PATCH', path: '/structures/{id}/engagements/{engagementId}', action: 'engagements.manage',
    call: async (w) => ({ url: `${S(w)}/engagements/${await engagement(w)}`, body: { subject: 'Objet modifié' } }),
  },
  // Rattachements and members.
  {
    method: 'POST', path: '/structures/{id}/rattachements', action: null,
    // Anyone signed in may ask; members are told they already belong (409); technical accounts never ask.
    special: { outsider: 'allowed', memberWithoutRights: 'allowed', memberWithAllRights: 'allowed', principalManager: 'allowed', technicalAccount: 403 },
    call: async (w) => ({ url: `${S(w)}/rattachements`, body: {} }),
  },
  { method: 'GET', path: '/structures/{id}/rattachements', action: 'rattachements.view', call: async (w) => ({ url: `${S(w)}/rattachements?status=EN_COURS_DE_VALIDATION` }) },
  { method: 'POST', path: '/structures/{id}/rattachements/{rid}/approve', action: 'rattachements.decide', call: async (w) => ({ url: `${S(w)}/rattachements/${await pendingRequest(w)}/approve`, body: {} }) },
  { method: 'POST', path: '/structures/{id}/rattachements/{rid}/refuse', action: 'rattachements.decide', call: async (w) => ({ url: `${S(w)}/rattachements/${await pendingRequest(w)}/refuse`, body: { reason: 'Inconnu' } }) },
  { method: 'DELETE', path: '/structures/{id}/rattachements/{rid}', action: 'members.manage', call: async (w) => ({ url: `${S(w)}/rattachements/${await pendingRequest(w)}` }) },
  { method: 'GET', path: '/structures/{id}/members', action: 'members.view', call: async (w) => ({ url: `${S(w)}/members` }) },
  { method: 'POST', path: '/structures/{id}/members', action: 'members.manage', call: async (w) => ({ url: `${S(w)}/members`, body: { email: (await w.freshUser()).email } }) },
  { method: 'DELETE', path: '/structures/{id}/members/{userId}', action: 'members.manage', call: async (w) => ({ url: `${S(w)}/members/${(await w.freshMember()).userId}` }) },
  {
    method: 'POST', path: '/structures/{id}/principal-manager', action: 'gp.transfer',
    call: async (w) => {
      const heir = await w.freshMember();
      return {
        url: `${S(w)}/principal-manager`,
        body: { userId: heir.userId },
        // Give the role back so that the next cells still have the same principal manager.
        undo: async (status) => {
          if (status === 200) await transferPrincipalManager(w.app.ctx, heir, w.structureId, { userId: w.gp.userId });
        },
      };
    },
  },
  // Rights.
  { method: 'GET', path: '/structures/{id}/habilitations', action: 'rights.view', call: async (w) => ({ url: `${S(w)}/habilitations` }) },
  { method: 'GET', path: '/structures/{id}/members/{userId}/habilitations', action: 'rights.view', call: async (w) => ({ url: `${S(w)}/members/${w.memberAll.userId}/habilitations` }) },
  {
    method: 'PUT', path: '/structures/{id}/members/{userId}/habilitations', action: 'rights.manage',
    call: async (w) => ({ url: `${S(w)}/members/${(await w.freshMember()).userId}/habilitations`, body: { habilitations: [{ space: 'DUME', access: 'MODIFICATION' }] } }),
  },
  {
    method: 'POST', path: '/structures/{id}/habilitations/bulk', action: 'rights.manage',
    call: async (w) => ({ url: `${S(w)}/habilitations/bulk`, body: { userIds: [(await w.freshMember()).userId], space: 'DUME', access: 'MODIFICATION' } }),
  },
  {
    method: 'POST', path: '/structures/{id}/habilitations/copy', action: 'rights.manage',
    call: async (w) => ({ url: `${S(w)}/habilitations/copy`, body: { fromUserId: w.memberAll.userId, toUserId: (await w.freshMember()).userId } }),
  },
  { method: 'GET', path: '/structures/{id}/my-spaces', action: 'spaces.view', call: async (w) => ({ url: `${S(w)}/my-spaces` }) },
  {
    method: 'GET', path: '/structures/{id}/my-spaces/{space}', action: 'spaces.view',
    allows: (m) => can(m, 'spaces.view') && hasRight(m, 'FACTURES_EMISES', 'CONSULTATION_UNIQUEMENT'),
    call: async (w) => ({ url: `${S(w)}/my-spaces/FACTURES_EMISES` }),
  },
  // Contracts and invoices to validate (subcontracting, co-contracting): any member sees its structure's contracts.
  { method: 'GET', path: '/structures/{id}/contracts', action: null, allows: (m) => m.role !== null, call: async (w) => ({ url: `${S(w)}/contracts` }) },
  {
    method: 'GET', path: '/structures/{id}/invoices-to-validate', action: null, allows: (m) => hasRight(m, 'FACTURES_A_VALIDER', 'CONSULTATION_UNIQUEMENT'),
    call: async (w) => ({ url: `${S(w)}/invoices-to-validate?status=A_TRAITER` }),
  },
  // Technical accounts.
  { method: 'GET', path: '/structures/{id}/technical-accounts', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${S(w)}/technical-accounts` }) },
  { method: 'POST', path: '/structures/{id}/technical-accounts', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${S(w)}/technical-accounts`, body: {} }) },
  {
    method: 'POST', path: '/structures/{id}/technical-accounts/{userId}/reset-password', action: 'technicalAccounts.manage',
    call: async (w) => ({ url: `${S(w)}/technical-accounts/${(await createTechnicalAccount(w.app.ctx, w.gp, w.structureId)).userId}/reset-password`, body: {} }),
  },
  {
    method: 'POST', path: '/structures/{id}/technical-accounts/{userId}/deactivate', action: 'technicalAccounts.manage',
    call: async (w) => ({ url: `${S(w)}/technical-accounts/${(await createTechnicalAccount(w.app.ctx, w.gp, w.structureId)).userId}/deactivate`, body: {} }),
  },
  // Applications of the Chorus-Pro-compatible API (OAuth2 clients), managed like technical accounts.
  { method: 'GET', path: '/structures/{id}/oauth-clients', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${S(w)}/oauth-clients` }) },
  { method: 'POST', path: '/structures/{id}/oauth-clients', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${S(w)}/oauth-clients`, body: { label: `ERP ${unique()}` } }) },
  {
    method: 'POST', path: '/structures/{id}/oauth-clients/{clientRowId}/revoke', action: 'technicalAccounts.manage',
    call: async (w) => ({ url: `${S(w)}/oauth-clients/${(await createOAuthClient(w.app.ctx, w.gp, w.structureId, { label: 'À révoquer' })).id}/revoke`, body: {} }),
  },
  // Payment terms: the delay a public payer applies is public (as in the directory); only its principal manager sets it.
  {
    method: 'GET', path: '/structures/{id}/payment-terms', action: null,
    special: { outsider: 'allowed', memberWithoutRights: 'allowed', memberWithAllRights: 'allowed', principalManager: 'allowed', technicalAccount: 'allowed' },
    call: async (w) => ({ url: `${S(w)}/payment-terms` }),
  },
  { method: 'PUT', path: '/structures/{id}/payment-terms', action: 'structure.edit', call: async (w) => ({ url: `${S(w)}/payment-terms`, body: { payerCategory: 'COLLECTIVITE_TERRITORIALE', delayDays: null } }) },
];

/**
 * Web pages under /structures/{id} × every kind of caller. Pages answer like the API but in the browser's terms:
 * no session → 303 to /connexion (a technical account has no web session), outsider → 404, no right → 403.
 */
interface WebRouteCase {
  method: 'GET' | 'POST';
  path: string;
  /** The permission the page checks; null when `allows` says it. */
  action: StructureAction | null;
  allows?: (m: Membership) => boolean;
  /** The answer to a member the rule refuses (an invoice is invisible, 404, to a member without its space). */
  denied?: 403 | 404;
  /** A multipart form: the file input that gets one small PDF. */
  multipart?: { file: string };
  call: (w: World) => Promise<{ url: string; fields?: Record<string, string> }>;
}
const siretOf = async (w: World) => (await w.app.ctx.db.selectFrom('structures').select('identifier').where('id', '=', w.structureId).executeTakeFirstOrThrow()).identifier;
const draftOf = async (w: World) =>
  (await createDraft(w.app.ctx, w.gp, { supplierStructureId: w.structureId, recipientSiret: await siretOf(w), number: `M-${unique()}`, invoiceDate: '2026-11-01', lines: [{ description: 'Ligne', quantity: '1', unitPrice: '10', vatRate: '20' }] })).invoiceId;
const W = (w: World) => `/structures/${w.structureId}`;
const WEB_ROUTES: WebRouteCase[] = [
  { method: 'GET', path: '/structures/{id}/comptes-techniques', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${W(w)}/comptes-techniques` }) },
  { method: 'POST', path: '/structures/{id}/comptes-techniques', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${W(w)}/comptes-techniques`, fields: { label: 'Matrice web' } }) },
  // Applications of the Chorus-Pro-compatible API (OAuth2 clients).
  { method: 'GET', path: '/structures/{id}/applications-api', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${W(w)}/applications-api` }) },
  { method: 'POST', path: '/structures/{id}/applications-api', action: 'technicalAccounts.manage', call: async (w) => ({ url: `${W(w)}/applications-api`, fields: { label: `ERP ${unique()}` } }) },
  {
    method: 'POST', path: '/structures/{id}/applications-api/{clientRowId}/revoquer', action: 'technicalAccounts.manage',
    call: async (w) => ({ url: `${W(w)}/applications-api/${(await createOAuthClient(w.app.ctx, w.gp, w.structureId, { label: 'À révoquer' })).id}/revoquer`, fields: {} }),
  },
  // Invoices: the PDF deposit and pieces joined to a draft (« Factures émises »); the payment delay (principal manager).
  { method: 'GET', path: '/structures/{id}/factures-emises/deposer-pdf', action: null, allows: (m) => hasRight(m, 'FACTURES_EMISES', 'CONSULTATION_UNIQUEMENT'), call: async (w) => ({ url: `${W(w)}/factures-emises/deposer-pdf` }) },
  {
    method: 'POST', path: '/structures/{id}/factures-emises/deposer-pdf', action: null, allows: (m) => hasRight(m, 'FACTURES_EMISES', 'MODIFICATION'), multipart: { file: 'mainDocument' },
    call: async (w) => ({ url: `${W(w)}/factures-emises/deposer-pdf`, fields: { recipientSiret: await siretOf(w), number: `M-${unique()}`, invoiceDate: '2026-11-01', totalWithoutVat: '10', totalVat: '2', totalWithVat: '12' } }),
  },
  {
    method: 'POST', path: '/structures/{id}/factures-emises/{invoiceId}/pieces', action: null, allows: (m) => hasRight(m, 'FACTURES_EMISES', 'MODIFICATION'), denied: 404, multipart: { file: 'files' },
    call: async (w) => ({ url: `${W(w)}/factures-emises/${await draftOf(w)}/pieces`, fields: { role: 'COMPLEMENTAIRE' } }),
  },
  {
    method: 'POST', path: '/structures/{id}/parametres/delai-paiement', action: null, allows: (m) => m.role === 'GESTIONNAIRE_PRINCIPAL',
    call: async (w) => ({ url: `${W(w)}/parametres/delai-paiement`, fields: { payerCategory: 'COLLECTIVITE_TERRITORIALE', delayDays: '' } }),
  },
  // « Factures de travaux »: the structure is the buyer, MOA and payer of a works contract; each call gets a fresh
  // état d'acompte (A5) made available to it, so that every role meets the same state.
  { method: 'GET', path: '/structures/{id}/travaux', action: null, allows: worksSpace, call: async (w) => ({ url: `${W(w)}/travaux` }) },
  { method: 'GET', path: '/structures/{id}/travaux/{contractId}', action: null, allows: worksSpace, call: async (w) => ({ url: `${W(w)}/travaux/${(await worksPiece(w)).contractId}` }) },
  {
    method: 'GET', path: '/structures/{id}/travaux/{contractId}/deposer', action: null, allows: worksSpace,
    call: async (w) => {
      const p = await worksPiece(w);
      return { url: `${W(w)}/travaux/${p.contractId}/deposer?cadre=A19&suit=${p.pieceId}` };
    },
  },
  {
    method: 'POST', path: '/structures/{id}/travaux/{contractId}/deposer', action: null, allows: worksSpace,
    call: async (w) => {
      const p = await worksPiece(w);
      return { url: `${W(w)}/travaux/${p.contractId}/deposer`, fields: { framework: 'A19', previousInvoiceId: String(p.pieceId), intent: 'apercu' } };
    },
  },
  {
    method: 'GET', path: '/structures/{id}/travaux/{contractId}/pieces/{pieceId}', action: null, allows: worksSpace,
    call: async (w) => {
      const p = await worksPiece(w);
      return { url: `${W(w)}/travaux/${p.contractId}/pieces/${p.pieceId}` };
    },
  },
  {
    method: 'GET', path: '/structures/{id}/travaux/{contractId}/pieces/{pieceId}/pdf', action: null, allows: worksSpace,
    call: async (w) => {
      const p = await worksPiece(w);
      return { url: `${W(w)}/travaux/${p.contractId}/pieces/${p.pieceId}/pdf` };
    },
  },
  {
    method: 'POST', path: '/structures/{id}/travaux/{contractId}/pieces/{pieceId}/actions', action: null, allows: worksSpace,
    call: async (w) => {
      const p = await worksPiece(w);
      return { url: `${W(w)}/travaux/${p.contractId}/pieces/${p.pieceId}/actions`, fields: { action: 'PRENDRE_EN_COMPTE' } };
    },
  },
];

/** « Factures de travaux » opens with that space, or « Factures reçues » for the payer. */
function worksSpace(m: Membership) {
  return hasRight(m, 'FACTURES_TRAVAUX', 'CONSULTATION_UNIQUEMENT') || hasRight(m, 'FACTURES_RECUES', 'CONSULTATION_UNIQUEMENT');
}
let works: { contractId: number; company: Actor } | null = null;
let worksMonth = 0;
async function worksPiece(w: World): Promise<{ contractId: number; pieceId: number }> {
  if (!works) {
    const company = await newUser(w.app);
    const s = await newStructure(w.app, company);
    const buyer = await w.app.ctx.db.selectFrom('structures').select('identifier').where('id', '=', w.structureId).executeTakeFirstOrThrow();
    const { contractId } = await createContract(w.app.ctx, w.gp, { number: `MX-${unique()}`, subject: 'Travaux', buyerSiret: buyer.identifier, titulaireSiret: s.siret });
    await createWorksContract(w.app.ctx, w.gp, { contractId, terms: { priceSchedule: [{ code: '01', label: 'Lot unique', kind: 'FORFAIT', quantity: '1', unitPrice: '1000.00' }], vatRate: '20' } });
    works = { contractId, company };
  }
  const k = worksMonth++;
  const month = `${2000 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  const a5 = await depositPiece(w.app.ctx, works.company, works.contractId, { framework: 'A5', month, progress: { '01': '10' } });
  return { contractId: works.contractId, pieceId: a5.invoiceId };
}

async function pendingRequest(w: World): Promise<number> {
  const requester = await w.freshUser();
  return (await requestRattachement(w.app.ctx, requester, w.structureId, {})).rattachementId;
}
async function engagement(w: World): Promise<number> {
  const e = await w.app.ctx.db.insertInto('engagements').values({ structure_id: w.structureId, number: `EJ${unique()}` }).returning('id').executeTakeFirstOrThrow();
  return e.id;
}

/** What each role is to the structure, as the permission rules see it. */
function membershipOf(role: Role, structureId: number): Membership | null {
  const all = SPACE_CODES.map((space) => ({ space, access: 'MODIFICATION' as const, serviceId: null }));
  switch (role) {
    case 'anonymous':
    case 'outsider':
      return null;
    case 'memberWithoutRights':
      return { structureId, role: 'UTILISATEUR', isTechnical: false, rights: [] };
    case 'memberWithAllRights':
      return { structureId, role: 'UTILISATEUR', isTechnical: false, rights: all };
    case 'principalManager':
      return { structureId, role: 'GESTIONNAIRE_PRINCIPAL', isTechnical: false, rights: all };
    case 'technicalAccount':
      return { structureId, role: 'UTILISATEUR', isTechnical: true, rights: technicalAccountSpaces('PUBLIQUE').map((r) => ({ ...r, serviceId: null })) };
  }
}

function expected(route: RouteCase, role: Role, structureId: number): Outcome {
  if (role === 'anonymous') return 401;
  if (route.special?.[role]) return route.special[role]!;
  const m = membershipOf(role, structureId);
  if (!m) return 404;
  const allowed = route.allows ? route.allows(m) : can(m, route.action!);
  return allowed ? 'allowed' : 403;
}

describe('authorisation matrix', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let world: World;
  const headers: Partial<Record<Role, Record<string, string>>> = {};
  const results = new Map<string, number>();
  const web: Partial<Record<Role, Awaited<ReturnType<typeof webSession>>>> = {};
  let anonymousWeb: { cookie: string; csrf: string };

  before(async () => {
    app = await startTestApp();
    const session = async (u: { email: string }) => ({ authorization: `Bearer ${(await logIn(app.ctx, { email: u.email, password: 'Correct-Horse-42!' })).sessionToken}` });
    const gp = await newUser(app, { firstName: 'Gaëlle', lastName: 'Principale' });
    const { structureId } = await newStructure(app, gp, { kind: 'PUBLIQUE' });
    const outsider = await newUser(app);
    const memberNone = await newUser(app);
    const memberAll = await newUser(app);
    for (const m of [memberNone, memberAll]) await attachUser(app.ctx, gp, structureId, { email: m.email });
    await setHabilitations(app.ctx, gp, structureId, memberNone.userId, { habilitations: [] });
    await setHabilitations(app.ctx, gp, structureId, memberAll.userId, { habilitations: spacesOfKind('PUBLIQUE').map((space) => ({ space, access: 'MODIFICATION' })) });
    const tech = await createTechnicalAccount(app.ctx, gp, structureId, { label: 'Matrice' });
    headers.anonymous = {};
    headers.outsider = await session(outsider);
    headers.memberWithoutRights = await session(memberNone);
    headers.memberWithAllRights = await session(memberAll);
    headers.principalManager = await session(gp);
    headers.technicalAccount = { authorization: `Basic ${Buffer.from(`${tech.login}:${tech.password}`).toString('base64')}` };
    for (const [role, u] of [['outsider', outsider], ['memberWithoutRights', memberNone], ['memberWithAllRights', memberAll], ['principalManager', gp]] as const) web[role] = await webSession(app, u.email);
    // Without a session: a CSRF token from the login page, so that the form reaches the page's guard.
    const loginPage = await app.http!.inject({ method: 'GET', url: '/connexion' });
    anonymousWeb = { cookie: cookiesOf(loginPage), csrf: loginPage.body.match(/name="_csrf" value="([^"]+)"/)![1] };
    world = {
      app,
      structureId,
      gp,
      memberAll,
      freshUser: () => newUser(app),
      async freshMember() {
        const u = await newUser(app);
        await attachUser(app.ctx, gp, structureId, { email: u.email });
        return u;
      },
    };
  });
  after(async () => app?.cleanup());

  test('the table lists every /api/v1 route under /structures/{id}', async () => {
    const doc = (await app.http!.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const registered = Object.entries(doc.paths as Record<string, Record<string, unknown>>).filter(([p]) => p.startsWith('/api/v1/')).flatMap(([p, ops]) =>
      Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${p.replace(/^\/api\/v1/, '')}`),
    ).filter((r) => /^\S+ \/structures\/\{id\}(\/|$)/.test(r));
    const listed = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    assert.deepEqual(registered.filter((r) => !listed.has(r)), [], 'add these routes to the authorisation matrix');
  });

  for (const route of ROUTES) {
    test(`${route.method} ${route.path}`, async (t) => {
      const doc = (await app.http!.inject({ method: 'GET', url: '/api/docs/json' })).json();
      if (!doc.paths[`/api/v1${route.path}`]?.[route.method.toLowerCase()]) return t.skip('route not registered');
      for (const role of ROLES) {
        const call = await route.call(world);
        const res = await app.http!.inject({
          method: route.method,
          url: call.url,
          headers: headers[role],
          ...(call.body !== undefined ? { payload: call.body as object } : {}),
        });
        await call.undo?.(res.statusCode);
        results.set(`${route.method} ${route.path} ${role}`, res.statusCode);
        const want = expected(route, role, world.structureId);
        const detail = `${role}: ${route.method} ${call.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (want === 'allowed') assert.ok(![401, 403, 404].includes(res.statusCode) && res.statusCode < 500, detail);
        else assert.equal(res.statusCode, want, detail);
      }
    });
  }

  test('the web table lists every page under /structures/:id/travaux', () => {
    const dir = path.resolve(import.meta.dirname, '..', '..', 'src', 'web');
    const registered = readdirSync(dir).filter((f) => f.endsWith('.tsx')).flatMap((f) =>
      [...readFileSync(path.join(dir, f), 'utf8').matchAll(/app\.(get|post)\(\s*'(\/structures\/:id\/travaux[^']*)'/g)].map((m) => `${m[1].toUpperCase()} ${m[2].replace(/:(\w+)/g, '{$1}')}`));
    const listed = new Set(WEB_ROUTES.map((r) => `${r.method} ${r.path}`));
    assert.ok(registered.length >= 6);
    assert.deepEqual(registered.filter((r) => !listed.has(r)), [], 'add these web routes to the authorisation matrix');
  });

  for (const route of WEB_ROUTES) {
    test(`web: ${route.method} ${route.path}`, async () => {
      for (const role of ROLES) {
        const call = await route.call(world);
        let res;
        const session = web[role];
        if (session)
          res = route.method === 'GET' ? await session.get(call.url)
            : route.multipart ? await session.upload('/structures/nouvelle', call.url, call.fields ?? {}, [{ field: route.multipart.file, name: 'piece.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), type: 'application/pdf' }])
              : await session.submit('/structures/nouvelle', call.url, call.fields ?? {});
        else {
          const body = new URLSearchParams({ _csrf: anonymousWeb.csrf, ...(call.fields ?? {}) }).toString();
          res = await app.http!.inject({
            method: route.method, url: call.url,
            headers: { cookie: anonymousWeb.cookie, ...headers[role], ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            ...(route.method === 'POST' ? { payload: body } : {}),
          });
        }
        results.set(`web ${route.method} ${route.path} ${role}`, res.statusCode);
        const detail = `${role}: ${route.method} ${call.url} → ${res.statusCode} ${String(res.headers.location ?? '')}`;
        if (!session) {
          assert.equal(res.statusCode, 303, detail);
          assert.match(String(res.headers.location), /^\/connexion/, detail);
          continue;
        }
        const m = membershipOf(role, world.structureId);
        if (!m) assert.equal(res.statusCode, 404, detail);
        else if (!(route.allows ? route.allows(m) : can(m, route.action!))) assert.equal(res.statusCode, route.denied ?? 403, detail);
        else assert.ok(res.statusCode < 400 && !/^\/connexion/.test(String(res.headers.location ?? '')), detail);
      }
    });
  }

  test('key cells, written out by hand', () => {
    const cell = (route: string, role: Role) => results.get(`${route} ${role}`);
    assert.equal(cell('POST /structures/{id}/rattachements/{rid}/approve', 'memberWithAllRights'), 403, 'a member, even with every right, cannot approve rattachements');
    assert.equal(cell('POST /structures/{id}/rattachements/{rid}/approve', 'memberWithoutRights'), 403);
    assert.equal(cell('POST /structures/{id}/rattachements/{rid}/approve', 'principalManager'), 200);
    assert.equal(cell('GET /structures/{id}/members', 'outsider'), 404, 'an outsider gets 404, not 403');
    assert.equal(cell('GET /structures/{id}', 'outsider'), 404);
    assert.equal(cell('POST /structures/{id}/technical-accounts', 'principalManager'), 201, 'only the principal manager manages technical accounts');
    assert.equal(cell('POST /structures/{id}/technical-accounts', 'memberWithAllRights'), 403);
    assert.equal(cell('POST /structures/{id}/technical-accounts', 'technicalAccount'), 403);
    assert.equal(cell('POST /structures/{id}/technical-accounts/{userId}/reset-password', 'memberWithAllRights'), 403);
    assert.equal(cell('GET /structures/{id}/my-spaces/{space}', 'memberWithoutRights'), 403, 'rights matter');
    assert.equal(cell('POST /structures/{id}/rattachements', 'technicalAccount'), 403, 'technical accounts never act on rattachements');
    assert.equal(cell('GET /structures/{id}/members', 'anonymous'), 401);
    assert.equal(cell('web POST /structures/{id}/applications-api', 'principalManager'), 200, 'the page that shows the secret once');
    assert.equal(cell('web POST /structures/{id}/applications-api', 'memberWithAllRights'), 403);
    assert.equal(cell('web POST /structures/{id}/applications-api/{clientRowId}/revoquer', 'principalManager'), 303);
  });
});

