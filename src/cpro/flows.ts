import { createHash, randomUUID } from 'node:crypto';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { enqueue, enqueueMany } from '../queue/queue.ts';
import { integrateCproFlowJob } from '../queue/jobs.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { ArchiveError, archiveKindOf, authorizeSupplier, depositReadInvoices, readArchive, readStructuredFiles, zipFilesOnDemand, type ArchiveEntry, type ArchiveLimits, type ReadFiles, type StructuredDepositResult } from '../invoices/index.ts';
import type { Executor } from '../db/open-database.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError, notAvailable, success } from './envelope.ts';
import { base64File, bool, parisDay, str, type Body } from './input.ts';
import { SYNTAXES_FLUX, type SyntaxeFlux } from './references.ts';
import {
  claimChunk, countItems, waitingFlowExists, findFlow, findFlowByNumero, findFlowBySha, finishFlow, firstClaimEnd, hasClaimable, invoiceOrigin, listItems, listRejectedItems, recordOutcomes, releaseClaim, renewClaim, setNumero, unfinishedFlows, type FlowRow,
} from './flows-repository.ts';
import { renderFlowReport } from './flow-report.ts';
import { mapped } from '../shared/mapped.ts';

/**
 * Flows (deposer/flux): a structured file or a zip / tar.gz of them, answered at once with a numeroFluxDepot,
 * then integrated by a job, by chunks of files through the structured deposit use case (depositReadInvoices), with
 * the flow statuses of Chorus Pro (§3.5): IN_RECU → IN_EN_COURS_TRAITEMENT_CPP → IN_INTEGRE | IN_INTEGRE_PARTIEL
 * | IN_REJETE.
 *
 * Shared by every worker process: each file of the flow is a row (cpro_flow_items). The flow's first job makes
 * the rows and enqueues helper jobs, so that idle worker processes join; each worker reads the archive once and
 * claims chunks of files (FOR UPDATE SKIP LOCKED, with an owner and an expiry: marked EN_COURS), reads a chunk,
 * renews its claim, deposits it and records each result. Whoever records the last result sets the final status,
 * once (finishFlow).
 *
 * Exactly once: after a crash, the files still EN_COURS are claimed again when their claim runs out (by a helper's
 * retry or a restarted worker) and deposited again: the structured deposit is idempotent per (supplier, invoice
 * number, file SHA-256) and answers the invoice it made; an invoice can belong to only one flow file (unique
 * index). So each invoice exists once and none is lost.
 */
export const FLOW_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 150 * 1024 * 1024,
  maxEntries: 20_000,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 100,
};
/** How long a worker's claim on a chunk lasts without news (renewed after reading the chunk, before depositing it). */
const CLAIM_MS = 30_000;
/** Files deposited together, in one transaction (depositReadInvoices). */
const CHUNK = 100;
/** Helper jobs a flow's first job enqueues (at most one per chunk beyond the first): as many worker processes join. */
const FLOW_HELPERS = 3;
const FINAL = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'];

/** Syntaxes of Chorus Pro that exist but that the platform does not take (yet). */
const OTHER_SYNTAXES = ['IN_DP_E2_CPP_FACTURE_MIN', 'IN_DP_E3_UBL_INVOICE', 'IN_DP_E1_PES_FACTURE', 'IN_DP_E2_PES_FACTURE_MIN', 'IN_DP_E1_CII', 'IN_DP_E2_CII_MIN', 'IN_DP_E1_XCBL'];

/** factures/v1/deposer/flux: stores the flow, enqueues its integration, answers its number at once. */
export async function deposerFlux(ctx: Ctx, caller: CproCaller, body: Body) {
  const syntaxeFlux = str(body.syntaxeFlux);
  if (!syntaxeFlux || !(syntaxeFlux in SYNTAXES_FLUX)) {
    if (syntaxeFlux && OTHER_SYNTAXES.includes(syntaxeFlux)) throw notAvailable('factures/v1/deposer/flux', `la syntaxe ${syntaxeFlux} n'est pas prise en charge ([syntaxeFlux]) ; syntaxes acceptées : ${Object.keys(SYNTAXES_FLUX).join(', ')}.`);
    throw new CproError(CODE.DONNEES_INVALIDES, `[syntaxeFlux] Syntaxe « ${syntaxeFlux ?? ''} » inconnue ; syntaxes acceptées : ${Object.keys(SYNTAXES_FLUX).join(', ')}.`);
  }
  const bytes = base64File(body.fichierFlux, 'fichierFlux');
  if (bytes.byteLength > FLOW_LIMITS.maxArchiveBytes) throw new CproError(CODE.DONNEES_INVALIDES, '[fichierFlux] Le flux dépasse 150 Mo.', 413);
  const filename = (str(body.nomFichier) ?? `flux-${syntaxeFlux}`).split(/[\\/]/).pop()!.slice(0, 200);
  await authorizeSupplier(ctx, caller.actor, caller.structureId);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const already = await findFlowBySha(ctx.db, caller.structureId, sha256);
  if (already) throw resent(already);
  const now = ctx.clock.now();
  try {
    const flow = await ctx.db.transaction().execute(async (trx) => {
      const doc = await storeDocument(trx, ctx.blobs, { bytes, sha256, filename: filename.slice(0, 50), mediaType: archiveKindOf(bytes) ? 'application/octet-stream' : bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? 'application/pdf' : 'application/xml', structureId: caller.structureId, uploadedBy: caller.actor.userId });
      const row = await trx
        .insertInto('cpro_flows')
        .values({ structure_id: caller.structureId, deposited_by: caller.actor.userId, syntax: syntaxeFlux, filename, sha256, document_id: doc.id, with_signature: bool(body.avecSignature), status: 'IN_RECU', deposited_at: now, status_changed_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setNumero(trx, row.id);
      await enqueue(trx, integrateCproFlowJob, { flowId: row.id });
      return (await findFlow(trx, row.id))!;
    });
    return success({ numeroFluxDepot: flow.numero, dateDepot: parisDay(now), syntaxeFlux });
  } catch (err) {
    if ((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message))) {
      const again = await findFlowBySha(ctx.db, caller.structureId, sha256);
      if (again) throw resent(again);
    }
    throw err;
  }
}
const resent = (f: { numero: string | null; deposited_at: Date | string }) =>
  new CproError(CODE.FLUX_DEJA_DEPOSE, `[fichierFlux] Ce flux a déjà été déposé le ${parisDay(new Date(f.deposited_at)).split('-').reverse().join('/')} sous le numéro ${f.numero} : il n'est pas intégré une seconde fois.`);

/** The syntax a file is written in, from its first bytes. */
export function entrySyntax(bytes: Uint8Array): 'FACTURX' | 'UBL' | 'CII' | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  if (head.startsWith('%PDF-')) return 'FACTURX';
  if (/<(?:[\w.-]+:)?CrossIndustryInvoice[\s>/]/.test(head)) return 'CII';
  if (/<(?:[\w.-]+:)?(?:Invoice|CreditNote)[\s>/]/.test(head)) return 'UBL';
  return null;
}
/** E2 minimal syntaxes (IN_DP_E2_UBL_INVOICE_MIN, IN_DP_E2_CII_MIN_16B): a minimal XML, maybe without lines, with the invoice's PDF inside. */
const isMixedSyntax = (syntax: string) => SYNTAXES_FLUX[syntax as SyntaxeFlux]?.format === 'IN_DP_E2_MIXTE';
const SYNTAX_NAMES = { FACTURX: 'un PDF Factur-X', UBL: 'un fichier UBL', CII: 'un fichier CII' } as const;

/** The files of a flow by position (1-based, archive order): their number and names at once, each file when wanted. */
type FlowFiles = { count: number; path(position: number): string; at(position: number): ArchiveEntry };
const listed = (entries: ArchiveEntry[]): FlowFiles => ({ count: entries.length, path: (position) => entries[position - 1]!.path, at: (position) => entries[position - 1]! });

/**
 * A zip's files are inflated chunk by chunk, when claimed (zipFilesOnDemand: its names and declared sizes judged at
 * once, each file bounded when inflated), so that the first chunk is read without inflating the whole archive
 * first; a tar.gz, or a zip whose entries do not declare their sizes, is read whole (readArchive).
 */
async function flowEntries(ctx: Ctx, flow: FlowRow): Promise<FlowFiles> {
  const bytes = await ctx.blobs.get(flow.blob_sha256);
  const kind = archiveKindOf(bytes);
  if (!kind) return listed([{ path: flow.filename, filename: flow.filename, bytes }]);
  const files = kind === 'ZIP' ? zipFilesOnDemand(bytes, FLOW_LIMITS) : null;
  if (files) return { count: files.count, path: (position) => files.path(position - 1), at: (position) => files.entry(position - 1) };
  return listed((await readArchive(bytes, FLOW_LIMITS)).entries);
}

/**
 * The files of the flow this process works on, read once while it helps (shared by concurrent integrations of the
 * flow in the process), let go when it has nothing left to do there. One flow only: an archive takes up to 150 MB,
 * its files more.
 */
let lastFlow: { flowId: number; entries: Promise<FlowFiles> } | null = null;
function entriesOf(ctx: Ctx, flow: FlowRow): Promise<FlowFiles> {
  if (lastFlow?.flowId !== flow.id) {
    lastFlow = null;
    const entries = flowEntries(ctx, flow);
    const mine = { flowId: flow.id, entries };
    lastFlow = mine;
    entries.catch(() => lastFlow === mine && (lastFlow = null));
  }
  return lastFlow!.entries;
}
const forgetFlow = (flowId: number) => lastFlow?.flowId === flowId && (lastFlow = null);

/** Sets a status that is not final (a final one is set once, by finishFlow or rejectUnreadable). */
async function setStatus(ctx: Ctx, flowId: number, status: string, extra: Record<string, unknown> = {}) {
  await ctx.db.updateTable('cpro_flows').set({ status, status_changed_at: ctx.clock.now(), ...extra }).where('id', '=', flowId).execute();
}

/** An unreadable archive: the flow is rejected whole (once, whichever worker reads it first). */
async function rejectUnreadable(ctx: Ctx, flowId: number, err: ArchiveError) {
  await ctx.db
    .updateTable('cpro_flows')
    .set({ status: 'IN_REJETE', status_changed_at: ctx.clock.now(), file_count: 0, technical_errors: JSON.stringify([{ codeErreur: err.code, libelleErreur: err.userMessage, natureErreur: 'ARCHIVE' }]) })
    .where('id', '=', flowId)
    .where('status', 'not in', FINAL)
    .execute();
}

/**
 * The flow's files become rows EN_ATTENTE, once (the flow row is locked; a duplicate job finds them there), and
 * the helper jobs are enqueued with them, so that the other worker processes join in.
 */
async function startFlow(ctx: Ctx, flowId: number, entries: FlowFiles) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cpro_flows').select('file_count').where('id', '=', flowId).forUpdate().executeTakeFirst();
    if (!row || row.file_count !== null) return;
    await makeItems(ctx, trx, flowId, entries);
  });
}

/**
 * A flow deposited while every worker is on another flow waited for one of them to finish its own: then that one
 * read the whole archive while the others, their flows done too, had nothing to claim. A busy worker starts such a
 * flow between two chunks instead (under the flow's row lock, as startFlow; an unreadable archive is left to the
 * flow's own job, which rejects it), so that its files are rows, ready to be claimed, when workers come free.
 */
async function startWaitingFlow(ctx: Ctx, busyWith: number) {
  if (!(await waitingFlowExists(ctx.db, busyWith))) return;
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cpro_flows').select('id').where('status', '=', 'IN_RECU').where('file_count', 'is', null).where('id', '<>', busyWith).orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
    const flow = row && (await findFlow(trx, row.id));
    if (!flow) return;
    let files: FlowFiles;
    try {
      files = await flowEntries(ctx, flow);
    } catch (err) {
      if (err instanceof ArchiveError) return;
      throw err;
    }
    await makeItems(ctx, trx, flow.id, files);
  });
}

/** The flow's files become rows EN_ATTENTE and its helper jobs are enqueued (in the transaction holding the flow's row). */
async function makeItems(ctx: Ctx, trx: Executor, flowId: number, files: FlowFiles) {
  for (let first = 1; first <= files.count; first += 500) {
    const values = Array.from({ length: Math.min(500, files.count - first + 1) }, (_, k) => ({ flow_id: flowId, position: first + k, entry_name: files.path(first + k).slice(0, 500), state: 'EN_ATTENTE' as const }));
    await trx.insertInto('cpro_flow_items').values(values).onConflict((oc) => oc.columns(['flow_id', 'position']).doNothing()).execute();
  }
  await trx.updateTable('cpro_flows').set({ file_count: files.count, status: 'IN_EN_COURS_TRAITEMENT_CPP', status_changed_at: ctx.clock.now() }).where('id', '=', flowId).execute();
  const helpers = Math.min(FLOW_HELPERS, Math.ceil(files.count / CHUNK) - 1);
  if (helpers > 0) await enqueueMany(trx, integrateCproFlowJob, Array.from({ length: helpers }, () => ({ payload: { flowId } })));
}

export type FlowRun = { outcome: 'DONE' | 'GONE' } | { outcome: 'BUSY'; retryAt: Date };

/**
 * The integration job, run by the flow's first job and by its helper jobs, in any worker process: claims chunks of
 * the flow until none is left, then sets the final status if every file has its result. 'BUSY' when files are
 * still under the claim of another worker: the caller comes back when that claim runs out (if that worker died,
 * this one takes its chunk over; if not, the flow is final by then).
 */
export async function integrateFlow(ctx: Ctx, flowId: number): Promise<FlowRun> {
  const flow = await findFlow(ctx.db, flowId);
  if (!flow) return { outcome: 'GONE' };
  if (FINAL.includes(flow.status)) return forgetFlow(flowId), { outcome: 'DONE' };
  let entries: FlowFiles | null = null;
  if (flow.file_count === null) {
    try {
      entries = await entriesOf(ctx, flow);
    } catch (err) {
      if (!(err instanceof ArchiveError)) throw err;
      await rejectUnreadable(ctx, flowId, err);
      return { outcome: 'DONE' };
    }
    await startFlow(ctx, flowId, entries);
  } else if (flow.status === 'IN_RECU') await setStatus(ctx, flowId, 'IN_EN_COURS_TRAITEMENT_CPP');

  const owner = `${process.pid}:${randomUUID()}`;
  const actor: Actor = { userId: flow.deposited_by, isTechnical: flow.is_technical };
  const expected = SYNTAXES_FLUX[flow.syntax as SyntaxeFlux]?.syntax;
  for (;;) {
    if (!entries) {
      if (!(await hasClaimable(ctx.db, flowId, new Date()))) break;
      entries = await entriesOf(ctx, flow);
    }
    const claimed = await claimChunk(ctx.db, flowId, owner, CHUNK, new Date(Date.now() + CLAIM_MS), new Date());
    if (!claimed.length) break;
    // Reading a chunk ahead while the previous one was written did not pay on 2 cores (docs/benchmarks.md): the
    // workers, PostgreSQL and the HTTP process already share them all.
    const read = await readFlowChunk(ctx, flow, claimed, entries, expected);
    const positions = mapped(claimed, (c) => c.position);
    const kept = await renewClaim(ctx.db, flowId, owner, positions, new Date(Date.now() + CLAIM_MS));
    if (kept.length < positions.length) {
      // The read outlasted the claim and another worker took part of the chunk: it deposits it; this one gives the rest back.
      await releaseClaim(ctx.db, flowId, owner, positions);
      continue;
    }
    await integrateChunk(ctx, flow, actor, read);
    await startWaitingFlow(ctx, flowId);
  }
  // Nothing left for this worker: it lets the archive go (a retry reads it again only to take over a dead worker's chunk).
  forgetFlow(flowId);
  if ((await finishFlow(ctx.db, flowId, ctx.clock.now())) || FINAL.includes((await findFlow(ctx.db, flowId))?.status ?? '')) return { outcome: 'DONE' };
  const claimEnd = await firstClaimEnd(ctx.db, flowId, new Date());
  return { outcome: 'BUSY', retryAt: new Date((claimEnd?.getTime() ?? Date.now()) + 500) };
}

type ItemOutcome = { position: number; state: 'INTEGREE' | 'REJETEE'; errors: Array<{ field: string; message: string }>; invoice_id?: number; invoice_number?: string | null; recipient_identifier?: string | null };
const rejected = (position: number, errors: ItemOutcome['errors'], extra: { invoice_number?: string | null } = {}): ItemOutcome => ({ position, state: 'REJETEE', errors, ...extra });

type ChunkItem = { position: number; entry: ArchiveEntry; claimedBefore: boolean };
type ReadChunk = { outcomes: ItemOutcome[]; toDeposit: ChunkItem[]; files: ReadFiles };

/**
 * The pure part of a chunk of the flow: each file taken from the archive (one that is not what its header declares
 * is refused alone), its syntax, then each file read and checked (readStructuredFiles).
 */
async function readFlowChunk(ctx: Ctx, flow: FlowRow, claimed: Array<{ position: number; claimedBefore: boolean }>, files: FlowFiles, expected: string | undefined): Promise<ReadChunk> {
  const outcomes: ItemOutcome[] = [];
  const toDeposit: ChunkItem[] = [];
  for (const { position, claimedBefore } of claimed) {
    let entry: ArchiveEntry;
    try {
      entry = files.at(position);
    } catch (err) {
      if (!(err instanceof ArchiveError)) throw err;
      outcomes.push(rejected(position, [{ field: 'fichierFlux', message: err.userMessage }]));
      continue;
    }
    const found = entrySyntax(entry.bytes);
    if (expected && found !== expected)
      outcomes.push(rejected(position, [{ field: 'syntaxeFlux', message: `Syntaxe : le fichier « ${entry.filename} » ${found ? `est ${SYNTAX_NAMES[found]}` : "n'est ni un PDF Factur-X ni un fichier UBL ou CII"} alors que le flux est déclaré ${flow.syntax} (${SYNTAX_NAMES[expected as keyof typeof SYNTAX_NAMES]} attendu).` }]));
    else toDeposit.push({ position, entry, claimedBefore });
  }
  const read = await readStructuredFiles(mapped(toDeposit, (i) => ({ bytes: i.entry.bytes, filename: i.entry.filename })), { mixed: isMixedSyntax(flow.syntax), xsd: ctx.xsd });
  return { outcomes, toDeposit, files: read };
}

/**
 * A chunk of the flow, read (readFlowChunk): the structured deposit of the chunk's files together (sent at once;
 * depositReadInvoices: one transaction for the chunk), then each file's result recorded in one update.
 */
async function integrateChunk(ctx: Ctx, flow: FlowRow, actor: Actor, { outcomes, toDeposit, files }: ReadChunk) {
  let results: StructuredDepositResult[] = [];
  try {
    if (toDeposit.length)
      results = await depositReadInvoices(ctx, actor, flow.structure_id, files, { channel: 'FLUX', submit: true, certificate: 'deferred', mixed: isMixedSyntax(flow.syntax) });
  } catch (err) {
    // The depositor lost its right on the supplier structure: every file is refused with the reason.
    if (!(err instanceof AppError)) throw err;
    for (const { position } of toDeposit) outcomes.push(rejected(position, [{ field: 'file', message: err.userMessage }]));
  }
  for (let k = 0; k < results.length; k++) {
    const { position, claimedBefore } = toDeposit[k]!;
    const r = results[k]!;
    if (!r.ok) {
      outcomes.push(rejected(position, mapped(r.errors, (e) => ({ field: e.field, message: e.message }))));
      continue;
    }
    if (r.duplicate) {
      // The invoice existed before this file was handled: ours only if a crashed run of this very flow made it.
      const origin = await invoiceOrigin(ctx.db, r.invoiceId);
      const ours = claimedBefore && origin && /^EDI_/.test(origin.deposit_mode) && new Date(origin.created_at) >= new Date(flow.deposited_at);
      if (!ours) {
        outcomes.push(rejected(position, [{ field: 'number', message: `Numéro de facture : « ${r.number} » a déjà été déposé (facture ${r.invoiceId}) ; le fichier n'est pas intégré une seconde fois.` }], { invoice_number: r.number }));
        continue;
      }
    }
    outcomes.push({ position, state: 'INTEGREE', invoice_id: r.invoiceId, invoice_number: r.number, errors: mapped(r.warnings, (w) => ({ field: w.field, message: w.message })) });
  }
  try {
    await recordOutcomes(ctx.db, flow.id, outcomes);
  } catch (err) {
    if (!((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message)))) throw err;
    // An invoice already belongs to a file of another flow: record one by one, refusing only that file.
    for (const o of outcomes)
      try {
        await recordOutcomes(ctx.db, flow.id, [o]);
      } catch (e) {
        if (!((e as { code?: string })?.code === '23505' || /duplicate key/.test(String((e as Error)?.message)))) throw e;
        await recordOutcomes(ctx.db, flow.id, [rejected(o.position, [{ field: 'number', message: `Numéro de facture : « ${o.invoice_number} » figure déjà dans un flux ; le fichier n'est pas intégré une seconde fois.` }], { invoice_number: o.invoice_number })]);
      }
  }
}

/** At worker start: (re)enqueues received or interrupted flows (this worker joins them; files under a live claim wait for it to run out). */
export async function resumeInterruptedFlows(ctx: Ctx): Promise<number> {
  const flows = await unfinishedFlows(ctx.db);
  for (const f of flows) await enqueue(ctx.db, integrateCproFlowJob, { flowId: f.id });
  return flows.length;
}

/** Comes back to a flow whose last files another worker holds, when its claim runs out. */
export async function retryLater(ctx: Ctx, flowId: number, at: Date) {
  await enqueue(ctx.db, integrateCproFlowJob, { flowId }, { startAfter: at });
}

async function flowOf(ctx: Ctx, caller: CproCaller, body: Body) {
  const numero = str(body.numeroFluxDepot);
  if (!numero) throw new CproError(CODE.DONNEES_INVALIDES, '[numeroFluxDepot] Le numéro du flux est obligatoire.');
  const flow = await findFlowByNumero(ctx.db, caller.structureId, numero);
  if (!flow) throw new CproError(CODE.FLUX_INCONNU, `[numeroFluxDepot] Le flux ${numero} est inconnu pour cette structure.`);
  return flow;
}

/** The errors of the flow: technical ones, and per rejected invoice (plain French naming the field). */
async function flowErrors(ctx: Ctx, flow: FlowRow) {
  const items = await listItems(ctx.db, flow.id);
  return { items, ...errorsOf(flow, items) };
}
function errorsOf(flow: FlowRow, items: Awaited<ReturnType<typeof listItems>>) {
  const technical = [...flow.technical_errors];
  const perInvoice = items.filter((i) => i.state === 'REJETEE').map((i) => ({
    identifiantFournisseur: flow.supplier_identifier,
    identifiantDestinataire: i.recipient_identifier,
    numeroDP: i.invoice_number ?? i.entry_name,
    libelleErreurDP: `Fichier « ${i.entry_name} » : ${i.errors.map((e) => e.message).join(' ; ')}`,
  }));
  return { technical, perInvoice };
}

const codeInterface = (syntax: string) => (SYNTAXES_FLUX[syntax as SyntaxeFlux]?.family === 'E1' ? 'FSO1100A' : 'FSO1110A');

/** transverses/v1/consulterCR: the flow's status and its report as a PDF. */
export async function consulterCR(ctx: Ctx, caller: CproCaller, body: Body) {
  const flow = await flowOf(ctx, caller, body);
  const { items, technical, perInvoice } = await flowErrors(ctx, flow);
  const pdf = await renderFlowReport({
    numero: flow.numero!, syntax: flow.syntax, filename: flow.filename, status: flow.status, depositedAt: new Date(flow.deposited_at), statusChangedAt: new Date(flow.status_changed_at),
    supplier: { name: flow.supplier_name, identifier: flow.supplier_identifier }, fileCount: flow.file_count ?? 0,
    integrated: items.filter((i) => i.state === 'INTEGREE').map((i) => ({ number: i.invoice_number ?? '', invoiceId: i.invoice_id! })),
    rejected: perInvoice.map((p) => ({ number: p.numeroDP, message: p.libelleErreurDP })), technical: technical.map((t) => t.libelleErreur),
  });
  return success({
    numeroFluxDepot: flow.numero, etatCourantFlux: flow.status, dateDepotFlux: new Date(flow.deposited_at).toISOString(), dateHeureEtatCourantFlux: new Date(flow.status_changed_at).toISOString(),
    nomFichierFlux: flow.filename, syntaxeFlux: flow.syntax, codeInterfaceFlux: codeInterface(flow.syntax), codeAppliPartenaire: null, designationPartenaire: flow.supplier_name,
    fichierCR: pdf.toString('base64'),
  });
}

/** transverses/v1/consulterCRDetaille: the status, the technical errors and the per-invoice errors. */
export async function consulterCRDetaille(ctx: Ctx, caller: CproCaller, body: Body) {
  const flow = await flowOf(ctx, caller, body);
  // Polled while a flow is integrated: the integrated files are only counted, the rejected ones read with their errors.
  const [counts, rejectedItems] = await Promise.all([countItems(ctx.db, flow.id), listRejectedItems(ctx.db, flow.id)]);
  const { technical, perInvoice } = errorsOf(flow, rejectedItems);
  return success({
    numeroFluxDepot: flow.numero, etatCourantDepotFlux: flow.status, codeInterfaceDepotFlux: codeInterface(flow.syntax), nomFichier: flow.filename, syntaxeFlux: flow.syntax,
    dateDepotFlux: new Date(flow.deposited_at).toISOString(), dateHeureEtatCourantFlux: new Date(flow.status_changed_at).toISOString(),
    nbFactures: flow.file_count, nbFacturesIntegrees: counts.integrated, nbFacturesRejetees: perInvoice.length,
    listeErreurTechnique: technical, listeErreurDP: perInvoice,
  });
}
