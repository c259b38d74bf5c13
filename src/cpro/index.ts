/** The Chorus-Pro-compatible façade: OAuth clients, the caller, the envelope, and each operation over the platform's use cases. */
export { createOAuthClient, listOAuthClients, revokeOAuthClient, issueAccessToken, ACCESS_TOKEN_SECONDS, type OAuthClientCredentials } from './oauth-clients.ts';
export { authenticateCaller, type CproCaller, type CallerRefusal } from './caller.ts';
export { CODE, CproError, SUCCESS_LIBELLE, success, notAvailable, toCproError, cproFieldName, libelleOf, readPagination, parametresRetour } from './envelope.ts';
export type { Body } from './input.ts';
export { FILE_FIELDS } from './input.ts';
export * as factures from './invoices-facade.ts';
export * as structuresApi from './structures-facade.ts';
export * as transverses from './transverses-facade.ts';
export * as valideur from './validator-facade.ts';
export * as travaux from './works-facade.ts';
export { SYNTAXES_FLUX, TAUX_TVA, ALL_FRAMEWORKS } from './references.ts';
export { deposerFlux, integrateFlow, resumeInterruptedFlows, retryLater, consulterCR, consulterCRDetaille, entrySyntax, FLOW_LIMITS } from './flows.ts';
