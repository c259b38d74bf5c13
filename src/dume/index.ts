/** The DUME module's door. Pure functions on the ESPD model for now (no database yet). */
export { mergeRequestWithResponse, reuseResponse, type MergeResult, type MergedCriterion, type NewDocumentIdentity } from './merge.ts';
export { checkCompleteness, type CompletenessCode, type CompletenessIssue } from './completeness.ts';
export { transplantAnswers, type TransplantResult } from './transplant.ts';
