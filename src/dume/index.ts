/** The DUME module's door: pure functions on the ESPD model, and the use cases around the database. */
export { mergeRequestWithResponse, reuseResponse, type MergeResult, type MergedCriterion, type NewDocumentIdentity } from './merge.ts';
export { checkCompleteness, type CompletenessCode, type CompletenessIssue } from './completeness.ts';
export { transplantAnswers, type TransplantResult } from './transplant.ts';
export { buildRequest, partyOf, requirementsOf, lotTitleOf, PROCEDURE_TYPES, EU_EXCLUSION_GROUNDS, type CompanyData, type RequestSettings } from './build-request.ts';
export { applyAnswers, answerText, questionsOf, syncOperatorPart, isPartII, PART_II, GROUP_ROLES } from './answers.ts';
export { DUME_PERMISSIONS, canOnDume, type DumePermission } from './permissions.ts';
export { REQUEST_STATUS_LABELS, RESPONSE_STATUS_LABELS, ORIGIN_LABELS, DUME_NUMBER, requestLink, newDumeNumber, issueStamp } from './model.ts';
export { createRequest, updateRequestDraft, requestInput, type RequestInput } from './save-request.ts';
export { publishRequest } from './publish-request.ts';
export { getRequest, getPublishedRequest, getResponse, searchDumes, earlierResponses, dumeRights } from './get-dume.ts';
export { startResponse, startResponseInput, type StartResponseInput, type UploadedXml } from './start-response.ts';
export { saveAnswers, finaliseResponse, saveOperator, operatorInput, type OperatorInput } from './save-answers.ts';
export { importDume } from './import-dume.ts';
export { exportDocument, type ExportFormat } from './export-dume.ts';
export { getGroupement, checkGroupement, type GroupMember, type GroupCheck } from './groupement.ts';
export type { RequestRow, ResponseRow, MergeReport } from './repository.ts';
