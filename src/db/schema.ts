import type { ColumnType, Generated } from 'kysely';

/** Table types of the database, one interface per table, matching src/db/migrations. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Id = Generated<number>;

export interface UsersTable {
  id: Id;
  email: string;
  contact_email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  password_hash: string | null;
  status: 'EN_ATTENTE_ACTIVATION' | 'ACTIF' | 'DESACTIVE';
  is_technical: Generated<boolean>;
  password_changed_at: TimestampNullable;
  password_expires_at: TimestampNullable;
  failed_logins: Generated<number>;
  locked_until: TimestampNullable;
  totp_secret: string | null;
  totp_enabled_at: TimestampNullable;
  totp_last_step: number | null;
  created_at: Generated<Date>;
  activated_at: TimestampNullable;
}

export type TokenPurpose = 'ACTIVATION' | 'PASSWORD_RESET' | 'EMAIL_CHANGE';
export interface UserTokensTable {
  id: Id;
  user_id: number;
  purpose: TokenPurpose;
  token_hash: string;
  new_email: string | null;
  expires_at: Timestamp;
  used_at: TimestampNullable;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  second_factor_done: Generated<boolean>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  user_agent: string | null;
  ip: string | null;
}

export interface StructuresTable {
  id: Id;
  identifier_type: 'SIRET' | 'UE_HORS_FRANCE' | 'HORS_UE' | 'RIDET' | 'TAHITI' | 'AUTRE' | 'PARTICULIER';
  identifier: string;
  siren: string | null;
  vat_number: string | null;
  name: string;
  kind: 'PRIVEE' | 'PUBLIQUE';
  status: Generated<'ACTIVE' | 'INACTIVE'>;
  address_line: string | null;
  postcode: string | null;
  city: string | null;
  country_code: Generated<string>;
  contact_email: string | null;
  code_service_doit_etre_renseigne: Generated<boolean>;
  numero_ej_doit_etre_renseigne: Generated<boolean>;
  gestion_numero_ej_ou_code_service: Generated<boolean>;
  est_moa: Generated<boolean>;
  est_moa_uniquement: Generated<boolean>;
  statut_mise_en_paiement_ne_remonte_pas: Generated<boolean>;
  totp_required: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ServicesTable {
  id: Id;
  structure_id: number;
  code: string;
  name: string;
  description: string | null;
  valid_from: string | null;
  valid_to: string | null;
  active: Generated<boolean>;
  numero_ej_doit_etre_renseigne: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EngagementsTable {
  id: Id;
  structure_id: number;
  service_id: number | null;
  number: string;
  state: Generated<'A_TRAITER' | 'COMMANDE' | 'CLOTURE' | 'ANNULE'>;
  amount: string | null;
  currency: Generated<string>;
  supplier_structure_id: number | null;
  subject: string | null;
  created_at: Generated<Date>;
}

export type RattachementStatus = 'EN_COURS_DE_VALIDATION' | 'VALIDEE' | 'REFUSEE' | 'DESACTIVEE' | 'SUPPRIMEE';
export type StructureRole = 'GESTIONNAIRE_PRINCIPAL' | 'UTILISATEUR';
export interface RattachementsTable {
  id: Id;
  user_id: number;
  structure_id: number;
  status: RattachementStatus;
  role: Generated<StructureRole>;
  message: string | null;
  refusal_reason: string | null;
  requested_at: Generated<Date>;
  decided_at: TimestampNullable;
  decided_by: number | null;
}

export interface RattachementServicesTable {
  rattachement_id: number;
  service_id: number;
}

export type Access = 'CONSULTATION_UNIQUEMENT' | 'MODIFICATION';
export interface HabilitationsTable {
  id: Id;
  user_id: number;
  structure_id: number;
  space: string;
  access: Access;
  service_id: number | null;
  created_at: Generated<Date>;
}

export interface TechnicalAccountsTable {
  user_id: number;
  structure_id: number;
  label: string;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Id;
  user_id: number;
  structure_id: number | null;
  kind: string;
  message: string;
  link: string | null;
  created_at: Generated<Date>;
  read_at: TimestampNullable;
  category: Generated<string>;
  digest_pending: Generated<boolean>;
  digested_at: TimestampNullable;
}

export interface EventsTable {
  id: Id;
  stream: string;
  type: string;
  actor_user_id: number | null;
  data: ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, never>;
  created_at: Generated<Date>;
}

export interface BlobsTable {
  sha256: string;
  size_bytes: number;
  media_type: string;
  created_at: Generated<Date>;
  /** The pack holding the bytes (BlobStore.putPacked); null: the blob is its own file. */
  pack: string | null;
  pack_offset: number | null;
}

export interface DocumentsTable {
  id: Generated<string>;
  blob_sha256: string;
  filename: string;
  structure_id: number | null;
  uploaded_by: number | null;
  created_at: Generated<Date>;
}

export interface DB extends InvoicesDB, ContractsDB, DumeDB {
  users: UsersTable;
  user_tokens: UserTokensTable;
  sessions: SessionsTable;
  structures: StructuresTable;
  services: ServicesTable;
  engagements: EngagementsTable;
  rattachements: RattachementsTable;
  rattachement_services: RattachementServicesTable;
  habilitations: HabilitationsTable;
  technical_accounts: TechnicalAccountsTable;
  notifications: NotificationsTable;
  events: EventsTable;
  blobs: BlobsTable;
  documents: DocumentsTable;
}

// Invoices (src/db/migrations/0002_invoices.sql). Amounts are numeric and travel as exact strings.
type Numeric = ColumnType<string, string | undefined, string>;
export interface InvoicesTable {
  id: Id;
  supplier_structure_id: number;
  recipient_structure_id: number;
  service_id: number | null;
  ej_number: string | null;
  framework: string;
  document_type: 'FACTURE' | 'AVOIR';
  original_invoice_number: string | null;
  number: string;
  invoice_date: string;
  due_date: string | null;
  currency: Generated<string>;
  deposit_mode: string;
  total_without_vat: Numeric;
  total_vat: Numeric;
  total_with_vat: Numeric;
  prepaid_amount: Numeric;
  amount_due: Numeric;
  comment: string | null;
  status: Generated<string>;
  status_changed_at: Timestamp;
  deposited_at: TimestampNullable;
  certificate_document_id: string | null;
  mandate_number: string | null;
  reject_handled_at: TimestampNullable;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InvoiceLinesTable {
  id: Id;
  invoice_id: number;
  position: number;
  description: string;
  quantity: string;
  unit: string | null;
  unit_price: string;
  discount_amount: Numeric;
  vat_rate: string;
  net_amount: string;
}

export interface InvoiceVatBreakdownTable {
  invoice_id: number;
  vat_rate: string;
  taxable_amount: string;
  vat_amount: string;
}

export interface InvoiceDocumentsTable {
  invoice_id: number;
  document_id: string;
  role: 'PRINCIPALE' | 'COMPLEMENTAIRE';
  added_in_status: string;
  added_at: Timestamp;
}

export interface InvoiceEventsTable {
  id: Generated<number>;
  invoice_id: number;
  seq: number;
  type: string;
  action: string | null;
  from_status: string | null;
  to_status: string | null;
  actor_user_id: number | null;
  actor_role: string | null;
  reason: string | null;
  comment: string | null;
  data: ColumnType<Record<string, unknown>, string, never>;
  created_at: Timestamp;
  prev_hash: string;
  hash: string;
}

export interface InvoicesDB {
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_vat_breakdown: InvoiceVatBreakdownTable;
  invoice_documents: InvoiceDocumentsTable;
  invoice_events: InvoiceEventsTable;
  invoice_structured_sources: InvoiceStructuredSourcesTable;
  invoice_batches: InvoiceBatchesTable;
  invoice_batch_items: InvoiceBatchItemsTable;
  structure_payment_terms: StructurePaymentTermsTable;
  ecb_reference_rates: EcbReferenceRatesTable;
  invoice_payment_clocks: InvoicePaymentClocksTable;
}

// Payment delays (src/db/migrations/0003_invoice_payment_delays.sql).
export interface StructurePaymentTermsTable {
  structure_id: number;
  payer_category: 'ETAT' | 'COLLECTIVITE_TERRITORIALE' | 'ETABLISSEMENT_PUBLIC_SANTE' | 'AUTRE';
  delay_days: number | null;
  updated_by: number | null;
  updated_at: Timestamp;
}
export interface EcbReferenceRatesTable {
  valid_from: string;
  rate: string;
  source: string | null;
}
export interface InvoicePaymentClocksTable {
  invoice_id: number;
  delay_days: number;
  started_on: string;
  base_due_on: string;
  paid_on: string | null;
  stopped_on: string | null;
  days_late: number | null;
  ecb_rate: string | null;
  interest_rate: string | null;
  late_interest: string | null;
  fixed_indemnity: string | null;
  overdue_alerted_at: TimestampNullable;
}

// Batches of structured invoices (src/db/migrations/0003_invoice_batches.sql).
export interface InvoiceBatchesTable {
  id: Id;
  supplier_structure_id: number;
  created_by: number;
  channel: string;
  submit: boolean;
  filename: string;
  archive_document_id: string;
  sha256: string;
  status: Generated<'RECU' | 'EN_COURS' | 'TRAITE' | 'REJETE'>;
  file_count: Generated<number>;
  accepted_count: Generated<number>;
  refused_count: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
  finished_at: TimestampNullable;
}
export interface InvoiceBatchItemsTable {
  batch_id: number;
  position: number;
  path: string;
  result: 'ACCEPTEE' | 'DEJA_DEPOSEE' | 'REFUSEE';
  invoice_id: number | null;
  invoice_number: string | null;
  code: string | null;
  message: string | null;
  errors: ColumnType<unknown[], string, string>;
}

// Structured deposits (src/db/migrations/0003_invoice_structured_sources.sql).
export interface InvoiceStructuredSourcesTable {
  invoice_id: number;
  document_id: string;
  sha256: string;
  container: 'FACTURX' | 'XML';
  syntax: 'UBL' | 'CII';
  profile: string;
  locked_fields: ColumnType<string[], string, string>;
  warnings: ColumnType<unknown[], string, string>;
  created_at: Generated<Date>;
}

// Contracts (src/db/migrations/0005_contracts.sql).
export interface ContractsTable {
  id: Id;
  number: string;
  subject: string;
  buyer_structure_id: number;
  buyer_service_id: number | null;
  ej_numbers: ColumnType<string[], string, string>;
  groupement_kind: 'CONJOINT' | 'SOLIDAIRE' | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContractPartiesTable {
  id: Id;
  contract_id: number;
  structure_id: number;
  role: string;
  direct_payment: Generated<boolean>;
  rank: number | null;
  accepted_amount: string | null;
  subcontracted_by_party_id: number | null;
  position: Generated<number>;
}

export interface ContractAmendmentsTable {
  id: Id;
  contract_id: number;
  version: number;
  kind: 'CREATION' | 'AVENANT';
  summary: string | null;
  snapshot: ColumnType<Record<string, unknown>, string, never>;
  actor_user_id: number | null;
  created_at: Timestamp;
}

// Validation circuits of invoices (src/db/migrations/0005_contracts_validations.sql).
export interface InvoiceValidationsTable {
  invoice_id: number;
  contract_id: number;
  validator_structure_id: number | null;
  validator_1_structure_id: number | null;
  validator_2_structure_id: number | null;
  levels: Generated<number>;
  current_level: number | null;
  level_opened_at: TimestampNullable;
  due_at: TimestampNullable;
  completed_at: TimestampNullable;
  warnings: ColumnType<string[], string | undefined, string>;
}

export interface ContractsDB {
  invoice_validations: InvoiceValidationsTable;
  contracts: ContractsTable;
  contract_parties: ContractPartiesTable;
  contract_amendments: ContractAmendmentsTable;
}

// DUME (src/db/migrations/0004_dume.sql). The ESPD model travels as JSON.
type Json = ColumnType<unknown, string, string>;
export interface DumeRequestsTable {
  id: Id;
  structure_id: number;
  number: string | null;
  status: Generated<'BROUILLON' | 'PUBLIEE'>;
  simplified: Generated<boolean>;
  title: string;
  file_reference: string;
  procedure_type: string | null;
  settings: Json;
  model: Json;
  source_document_id: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: TimestampNullable;
}
export interface DumeResponsesTable {
  id: Id;
  structure_id: number;
  number: string;
  request_id: number | null;
  status: Generated<'BROUILLON' | 'FINALISEE'>;
  origin: 'VIERGE' | 'FUSION' | 'REUTILISATION' | 'IMPORT';
  origin_response_id: number | null;
  relied_upon_by_id: number | null;
  title: string;
  file_reference: string | null;
  operator_name: string | null;
  operator_identifier: string | null;
  group_name: string | null;
  group_role: string | null;
  model: Json;
  merge_report: ColumnType<unknown, string | null | undefined, string | null>;
  source_document_id: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finalised_at: TimestampNullable;
}
export interface DumeDB {
  dume_requests: DumeRequestsTable;
  dume_responses: DumeResponsesTable;
}

/** Chorus-Pro-compatible API (migration 0006). */
export interface CproOauthClientsTable {
  id: Id;
  structure_id: number;
  client_id: string;
  secret_hash: string;
  label: string;
  created_by: number | null;
  created_at: Timestamp;
  revoked_at: TimestampNullable;
}

export interface CproAccessTokensTable {
  token_hash: string;
  client_id: number;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface CproAttachmentsTable {
  id: Id;
  document_id: string;
  structure_id: number;
  uploaded_by: number | null;
  media_type: string;
  created_at: Timestamp;
}

// Merged into DB (declaration merging keeps the main DB line free of concurrent edits).
export interface DB extends CproDB {}

export interface CproFlowsTable {
  id: Id;
  numero: string | null;
  structure_id: number;
  deposited_by: number;
  syntax: string;
  filename: string;
  sha256: string;
  document_id: string;
  with_signature: boolean;
  status: string;
  deposited_at: Timestamp;
  status_changed_at: Timestamp;
  file_count: number | null;
  integrated_count: Generated<number>;
  rejected_count: Generated<number>;
  technical_errors: ColumnType<Array<{ codeErreur: string; libelleErreur: string; natureErreur: string }>, string | undefined, string>;
}

export interface CproFlowItemsTable {
  flow_id: number;
  position: number;
  entry_name: string;
  state: 'EN_ATTENTE' | 'EN_COURS' | 'INTEGREE' | 'REJETEE';
  invoice_id: number | null;
  invoice_number: string | null;
  recipient_identifier: string | null;
  errors: ColumnType<Array<{ field: string; message: string }>, string | undefined, string>;
  /** The worker whose claim the file is under, while EN_COURS (0015): shared flows. */
  claim_owner: string | null;
  claim_until: TimestampNullable;
}

export interface CproDB {
  cpro_oauth_clients: CproOauthClientsTable;
  cpro_access_tokens: CproAccessTokensTable;
  cpro_attachments: CproAttachmentsTable;
  cpro_flows: CproFlowsTable;
  cpro_flow_items: CproFlowItemsTable;
}

// Works contracts and pieces (src/db/migrations/0007_works.sql). JSON columns are written as JSON text.
type WorksJson<T> = ColumnType<T, string, string>;
export interface WorksContractsTable {
  contract_id: number;
  moe_structure_id: number | null;
  moe_service_id: number | null;
  moa_structure_id: number;
  payer_structure_id: number;
  payer_service_id: number | null;
  ej_number: string | null;
  terms: WorksJson<unknown>;
  indexes: WorksJson<unknown>;
  deadlines: WorksJson<unknown>;
  reception_notified_at: TimestampNullable;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface WorksPiecesTable {
  invoice_id: number;
  contract_id: number;
  month: string | null;
  phase: 'MENSUEL' | 'FIN';
  depositor_role: 'FOURNISSEUR' | 'MOE' | 'MOA';
  depositor_structure_id: number;
  previous_invoice_id: number | null;
  progress: WorksJson<unknown>;
  penalties: WorksJson<unknown>;
  statement: ColumnType<unknown, string | null, string | null>;
  differences: ColumnType<unknown, string | null, string | null>;
  moe_received_at: TimestampNullable;
  created_at: Timestamp;
}
export interface WorksAlertsTable {
  invoice_id: number;
  kind: string;
  sent_at: Timestamp;
}
// Merged into DB (declaration merging).
export interface DB extends WorksDB {}
export interface WorksDB {
  works_contracts: WorksContractsTable;
  works_pieces: WorksPiecesTable;
  works_alerts: WorksAlertsTable;
}

// Notification preferences and the daily digest (src/db/migrations/0012_notification_preferences.sql).
export interface NotificationPreferencesTable {
  user_id: number;
  category: string;
  mail: string;
  updated_at: Generated<Date>;
}
export interface NotificationDigestsTable {
  user_id: number;
  last_sent_at: Timestamp;
}
export interface DB extends NotificationsDB {}
export interface NotificationsDB {
  notification_preferences: NotificationPreferencesTable;
  notification_digests: NotificationDigestsTable;
}
