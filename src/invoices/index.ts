export * from './lifecycle.ts';
export { DOCUMENT_TYPES, DOCUMENT_TYPE_LABELS, DEPOSIT_MODE_LABELS, STRUCTURED_DEPOSIT_MODES, isStructuredMode, CURRENCIES, VAT_RATES, ATTACHMENT_RULES, ATTACHMENT_LIMITS_TEXT, ATTACHMENT_ACCEPT, fileTooLargeMessage, uploadProblems, INVOICE_NUMBER, computeTotals, isPdfMode, type DocumentType } from './model.ts';
export { INVOICE_PERMISSIONS, type InvoicePermission } from './permissions.ts';
export { createDraft, updateDraft, draftInput, type DraftInput } from './save-draft.ts';
export { addAttachments, type UploadedFile } from './add-attachments.ts';
export { depositPdfInvoice } from './deposit-pdf-invoice.ts';
export { submitInvoice, routeInvoice, routeInvoices, checkBeforeSending } from './submit-invoice.ts';
export { actOnInvoice, actionInput, type ActionRequest } from './act-on-invoice.ts';
export { getInvoice, readInvoiceAsSide, verifyInvoiceHistory, getInvoiceDocument } from './get-invoice.ts';
export { searchInvoices, searchInvoicesForApi, invoiceSearchInput, type InvoiceSearchInput } from './search-invoices.ts';
export { recipientRequirements } from './recipient-requirements.ts';
export { verifyChain, eventHash, canonicalJson, GENESIS_HASH } from './chain.ts';
export type { ApiSearchRow, InvoiceRow, SearchColumn } from './repository.ts';
export {
  depositStructuredInvoice, depositStructuredInvoices, depositReadInvoices, readStructuredFiles, structuredDepositError, authorizeSupplier,
  type StructuredDepositResult, type StructuredDepositOptions, type StructuredDepositErrorCode, type DepositChannel, type ReadFiles,
} from './deposit-structured-invoice.ts';
export { completeStructuredDraft, structuredCompletionInput, type StructuredCompletion } from './complete-structured-draft.ts';
export { LOCKED_BY_XML, fieldsOfIssues, type DepositIssue } from './structured-file.ts';
export { xsdRefusal } from './read-structured-file.ts';
export { findStructuredSource } from './deposits-repository.ts';
export { depositInvoiceBatch, processInvoiceBatch, getInvoiceBatch, listInvoiceBatches } from './deposit-invoice-batch.ts';
export { ARCHIVE_LIMITS, readArchive, zipFilesOnDemand, archiveKindOf, ArchiveError, type ArchiveLimits, type ArchiveEntry, type ArchiveFiles } from './batch-archive.ts';
export { setInvoiceContract, correctValidator, decideValidation, invoiceContractInput, decisionInput, type InvoiceContractInput, type DecisionInput } from './validate-invoice.ts';
export { getInvoiceCircuit, getInvoiceToValidate, getDocumentToValidate, searchInvoicesToValidate, statusesVisibleToValidators, type CircuitView } from './invoices-to-validate.ts';
export { runValidationDeadline, remindValidator, runDueValidationDeadlines } from './validation-deadlines.ts';
export { addParisCalendarDays, validationDeadline, daysLeft } from './validation-clock.ts';
export { runPaymentClock, dueDatesOf, setPaymentTerms, getPaymentTerms, paymentTermsInput } from './payment-clock.ts';
export { PAYER_CATEGORIES, PAYER_CATEGORY_LABELS, LEGAL_DELAY_DAYS, FIXED_INDEMNITY, clockOf, lateCompensation, type PayerCategory, type ClockState } from './payment-delays.ts';
export { applyTransition } from './transition.ts';
export { invoiceFacts } from './validation-effects.ts';
export { saveValidation } from './validation-repository.ts';
export { findInvoice, lockInvoice, insertInvoice, updateInvoice, usersWithSpace, addInvoiceDocument } from './repository.ts';
export * from './works-circuits.ts';
export { exportInvoicesCsv, exportInvoicePath, verifyAllChains, EXPORT_MAX_ROWS } from './export-invoices.ts';
