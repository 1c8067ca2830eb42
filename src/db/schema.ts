import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid
} from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value)
})
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/** Questionnaire definitions, versioned; a version is immutable once a campaign uses it (`lockedAt`). */
export const instruments = pgTable(
  'instruments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    definition: jsonb('definition').notNull(),
    createdAt: createdAt(),
    lockedAt: timestamp('locked_at', { withTimezone: true })
  },
  (table) => [uniqueIndex('instruments_code_version_key').on(table.code, table.version)]
)

/**
 * Administrative units and agencies, a tree of any depth (nation → province → district → commune, agencies,
 * one-stop-shop points). Statistics-office codes and agency codes (mã định danh) are kept apart; a code is
 * unique among the units valid at the same time, so the pre-2025 and the current trees live side by side.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code'),
    agencyCode: text('agency_code'),
    name: text('name').notNull(),
    fullName: text('full_name').notNull(),
    nameEn: text('name_en'),
    /** Lower case, without tone marks, NFC: "Hòa" and "Hoà" are found alike. */
    searchName: text('search_name').notNull(),
    level: text('level').notNull(),
    unitType: text('unit_type'),
    parentId: uuid('parent_id'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: createdAt()
  },
  (table) => [
    index('org_units_parent_idx').on(table.parentId),
    index('org_units_search_idx').on(table.searchName),
    uniqueIndex('org_units_code_valid_from_key').on(table.code, table.validFrom),
    uniqueIndex('org_units_agency_code_valid_from_key').on(table.agencyCode, table.validFrom)
  ]
)

/** Mergers and splits: `from` became (part of) `to` on `effectiveOn`, so time series can follow units. */
export const orgUnitLinks = pgTable(
  'org_unit_links',
  {
    fromId: uuid('from_id')
      .notNull()
      .references(() => orgUnits.id),
    toId: uuid('to_id')
      .notNull()
      .references(() => orgUnits.id),
    kind: text('kind').notNull(),
    effectiveOn: date('effective_on').notNull()
  },
  (table) => [primaryKey({ columns: [table.fromId, table.toId] })]
)

/** A measurement campaign: scope, questionnaire, period, design targets, lifecycle. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    provinceId: uuid('province_id')
      .notNull()
      .references(() => orgUnits.id),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
    status: text('status').notNull().default('draft'),
    sampled: boolean('sampled').notNull().default(true),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    collectionStart: date('collection_start').notNull(),
    collectionEnd: date('collection_end').notNull(),
    marginOfError: doublePrecision('margin_of_error').notNull(),
    confidenceLevel: doublePrecision('confidence_level').notNull(),
    channels: text('channels').array().notNull(),
    scoring: jsonb('scoring').notNull(),
    /** The rule turning the overall index into PAR INDEX points (linear or bands). */
    parRule: jsonb('par_rule'),
    /** The targets the overall indices are judged against; null: the national ones. */
    targets: jsonb('targets'),
    /** GREG/raking/post-stratification of the official sample to the frame's margins; null: N_h/r_h as published. */
    calibration: jsonb('calibration'),
    /** How the after-service index is weighted to the frame's totals; null: post-stratified by unit. */
    afterService: jsonb('after_service'),
    /** Breakdown categories with fewer respondents than this are suppressed in the publication. */
    breakdownMinimum: integer('breakdown_minimum').notNull().default(30),
    /** Peer groups (khối) of units, each ranked on its own and with its figures; null: none. */
    peerGroups: jsonb('peer_groups'),
    /** The province's figures: 'pooled' over the design, or 'mean-of-groups'. */
    provinceFigure: text('province_figure').notNull().default('pooled'),
    sampleDesign: jsonb('sample_design'),
    sampleSeed: text('sample_seed'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [index('campaigns_year_idx').on(table.year), index('campaigns_province_idx').on(table.provinceId)]
)

export const campaignUnits = pgTable(
  'campaign_units',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id)
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitId] })]
)

/** Every lifecycle transition, with who and when. */
export const campaignEvents = pgTable(
  'campaign_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [index('campaign_events_campaign_idx').on(table.campaignId)]
)

/** People who completed a procedure in the reference period, as the one-stop shop knows them (no contacts here). */
export const frameRecords = pgTable(
  'frame_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    dossierCode: text('dossier_code').notNull(),
    procedureCode: text('procedure_code'),
    procedureName: text('procedure_name'),
    fieldCode: text('field_code'),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    channel: text('channel').notNull(),
    subjectType: text('subject_type').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    stratum: text('stratum').notNull()
  },
  (table) => [
    uniqueIndex('frame_records_campaign_dossier_key').on(table.campaignId, table.dossierCode),
    index('frame_records_stratum_idx').on(table.campaignId, table.stratum)
  ]
)

/** Contact details, personal data (Decree 13/2023/NĐ-CP): AES-256-GCM encrypted, deleted with the frame. */
export const frameContacts = pgTable('frame_contacts', {
  recordId: uuid('record_id')
    .primaryKey()
    .references(() => frameRecords.id, { onDelete: 'cascade' }),
  sealed: bytea('sealed').notNull()
})

/** The drawn sample: main slots and ordered reserves per stratum, each with its inclusion probability. */
export const sampleSlots = pgTable(
  'sample_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    recordId: uuid('record_id').references(() => frameRecords.id, { onDelete: 'set null' }),
    dossierCode: text('dossier_code').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    stratum: text('stratum').notNull(),
    role: text('role').notNull(),
    reserveRank: integer('reserve_rank'),
    inclusionProbability: doublePrecision('inclusion_probability').notNull(),
    baseWeight: doublePrecision('base_weight').notNull(),
    status: text('status').notNull(),
    replacesSlotId: uuid('replaces_slot_id'),
    reason: text('reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [
    index('sample_slots_campaign_idx').on(table.campaignId, table.stratum),
    uniqueIndex('sample_slots_campaign_dossier_key').on(table.campaignId, table.dossierCode)
  ]
)

/**
 * API keys, stored as SHA-256 only, each with its role: a province administrator, a surveyor, or a client
 * system (one-stop-shop software, kiosks, survey tablets). Units cover their subtrees.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    role: text('role').notNull().default('client'),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    unitIds: uuid('unit_ids').array().notNull(),
    campaignIds: uuid('campaign_ids').array().notNull(),
    createdAt: createdAt(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true })
  },
  (table) => [uniqueIndex('api_clients_key_hash_key').on(table.keyHash)]
)

/**
 * Survey responses. Answers are one byte each in the order of the instrument's answer columns (options are
 * 0–250; 255 is a missing answer): a COPY hands them to the loader as they are stored. The client's own
 * external id makes a retried post idempotent; `contentHash` tells a replay from a conflicting one.
 */
export const responses = pgTable(
  'responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign keys: their per-row checks were a quarter of PostgreSQL's cost per ingested response. The
    // ingestion path resolves both against the collecting campaign, and triggers refuse to delete a campaign or
    // a unit that responses refer to (migration 0007).
    campaignId: uuid('campaign_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    clientId: text('client_id').notNull(),
    externalId: text('external_id').notNull(),
    contentHash: text('content_hash').notNull(),
    channel: text('channel').notNull(),
    procedureCode: text('procedure_code'),
    fieldCode: text('field_code'),
    dossierCode: text('dossier_code'),
    slotId: uuid('slot_id'),
    collectedAt: timestamp('collected_at', { withTimezone: true }).notNull(),
    // Migration 0015 converted the smallint[] of before.
    answers: bytea('answers').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [
    uniqueIndex('responses_client_external_key').on(table.campaignId, table.clientId, table.externalId),
    index('responses_campaign_unit_idx').on(table.campaignId, table.unitId),
    // One respondent per dossier: a second response for a dossier (or the sample slot it was drawn as) is refused.
    uniqueIndex('responses_campaign_dossier_key')
      .on(table.campaignId, table.dossierCode)
      .where(sql`${table.dossierCode} is not null`)
  ]
)

/**
 * A computation of a campaign's indices: a draft result, visible to administrators only. A large one runs as
 * a job: `status` running → done | failed, with its `progress` (0–1) for the caller to poll.
 */
export const computations = pgTable(
  'computations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    actor: text('actor').notNull(),
    status: text('status').notNull().default('done'),
    progress: doublePrecision('progress').notNull().default(1),
    error: text('error'),
    responses: integer('responses').notNull(),
    results: jsonb('results'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true })
  },
  (table) => [index('computations_campaign_idx').on(table.campaignId)]
)

/**
 * A publication: a computation's results frozen and versioned, never changed (a trigger refuses UPDATE and
 * DELETE). It is a draft until its approval is recorded (publication_approvals); only then is it public. A
 * correction is a new publication naming the published one it replaces.
 */
export const publications = pgTable(
  'publications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    version: integer('version').notNull(),
    computationId: uuid('computation_id')
      .notNull()
      .references(() => computations.id),
    replacesId: uuid('replaces_id'),
    note: text('note'),
    actor: text('actor').notNull(),
    results: jsonb('results').notNull(),
    /** When the results were frozen (the draft's creation): the column is older than approvals and keeps its name. */
    createdAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [uniqueIndex('publications_campaign_version_key').on(table.campaignId, table.version)]
)

/**
 * The approval that makes a draft publication public: who approved it (name, position), the decision's number
 * and date, optionally the SHA-256 of the signed document, and who recorded it. A table of its own, so that
 * publications stay wholly immutable (their trigger is unchanged) and an approval is one insert, never an
 * update; its own trigger makes it immutable too, and the key makes a second approval impossible.
 */
export const publicationApprovals = pgTable('publication_approvals', {
  publicationId: uuid('publication_id')
    .primaryKey()
    .references(() => publications.id),
  approverName: text('approver_name').notNull(),
  approverPosition: text('approver_position').notNull(),
  decisionNumber: text('decision_number').notNull(),
  decisionDate: date('decision_date').notNull(),
  documentSha256: text('document_sha256'),
  actor: text('actor').notNull(),
  approvedAt: timestamp('approved_at', { withTimezone: true }).notNull().defaultNow()
})

/** Subscribers notified when a campaign is published (e.g. a provincial portal). */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  /** The signing secret, sealed like personal data: whoever reads the database cannot forge deliveries. */
  sealedSecret: bytea('sealed_secret').notNull(),
  provinceId: uuid('province_id'),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true })
})

/** One notification to one subscriber, retried with exponential back-off until delivered or given up. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt()
  },
  (table) => [index('webhook_deliveries_due_idx').on(table.status, table.nextAttemptAt)]
)

/**
 * Published figures of years before the service (point figures, no SEs), with the document they come from:
 * they join a unit's series, marked as imported. One figure per unit, year and index.
 */
export const importedResults = pgTable(
  'imported_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provinceId: uuid('province_id')
      .notNull()
      .references(() => orgUnits.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: integer('year').notNull(),
    indexCode: text('index_code').notNull(),
    /** Percent, as published. */
    estimate: doublePrecision('estimate').notNull(),
    source: text('source').notNull(),
    actor: text('actor').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow()
  },
  (table) => [uniqueIndex('imported_results_unit_year_index_key').on(table.unitId, table.year, table.indexCode)]
)

/**
 * Every change made through the API: who, what, when, from where, and the ids (never personal data) before
 * and after. Written in the transaction of the change itself, so a change and its entry commit together.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    ip: text('ip').notNull(),
    requestId: text('request_id').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** The province the change belongs to, so that a province administrator reads its own entries. */
    provinceId: uuid('province_id'),
    before: jsonb('before'),
    after: jsonb('after')
  },
  (table) => [
    index('audit_log_entity_idx').on(table.entity, table.entityId),
    index('audit_log_province_idx').on(table.provinceId, table.id)
  ]
)
