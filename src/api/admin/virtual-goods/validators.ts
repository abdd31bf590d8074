import { z } from "@medusajs/framework/zod"
import { MAX_IMPORT_ENTRIES } from "../../../modules/card-vault/utils/import-entries"

const limit = z.coerce.number().int().min(1).max(500).default(50)
const offset = z.coerce.number().int().min(0).default(0)

export const AdminGetCardPoolsParams = z.object({ q: z.string().optional(), limit, offset }).strict()
export type AdminGetCardPoolsParamsType = z.infer<typeof AdminGetCardPoolsParams>

export const AdminCreateCardPool = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).nullish(),
    /** exclusive: each code sold once · reusable: shared codes sold up to a per-code limit (fixed at creation). */
    kind: z.enum(["exclusive", "reusable"]).default("exclusive"),
  })
  .strict()
export type AdminCreateCardPoolType = z.infer<typeof AdminCreateCardPool>

export const AdminUpdateCardPool = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullish(),
    allocation_order: z.enum(["fifo", "expiry_first"]).optional(),
    low_stock_threshold: z.number().int().min(0).max(100_000_000).nullish(),
    expiry_warning_days: z.number().int().min(1).max(3650).nullish(),
    /** Buyer's choice: the premium on the variant's price in basis points (2000 = +20 %); null turns picking off. */
    pick_premium_bp: z.number().int().min(0).max(1_000_000).nullish(),
    /** What a pick shows of a code: this many first and last characters. */
    pick_show_first: z.number().int().min(0).max(64).optional(),
    pick_show_last: z.number().int().min(0).max(64).optional(),
  })
  .strict()
export type AdminUpdateCardPoolType = z.infer<typeof AdminUpdateCardPool>

export const AdminGetCardAlertsParams = z
  .object({
    status: z.enum(["active", "cleared"]).optional(),
    kind: z.enum(["low_stock", "near_expiry"]).optional(),
    pool_id: z.string().optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetCardAlertsParamsType = z.infer<typeof AdminGetCardAlertsParams>

export const AdminReissueCardCode = z.object({ reason: z.string().trim().min(3).max(500) }).strict()
export type AdminReissueCardCodeType = z.infer<typeof AdminReissueCardCode>

export const AdminLinkCardPoolVariant = z
  .object({ variant_id: z.string().min(1), stock_location_id: z.string().min(1) })
  .strict()
export type AdminLinkCardPoolVariantType = z.infer<typeof AdminLinkCardPoolVariant>

/** A non-negative amount as a JSON number or text (a form field), kept as its exact decimal text — never a float. */
const exactAmount = (name: string) =>
  z
    .union([z.number(), z.string()])
    .transform((v) => String(v).trim())
    .refine((v) => /^\d{1,16}(\.\d{1,10})?$/.test(v), { message: `${name} must be a non-negative decimal amount, e.g. 2.5` })

/** Batch fields shared by every kind of import (also the additions of shared codes, shared-codes/validators). */
export const importMeta = {
  supplier: z.string().trim().max(200).nullish(),
  cost_per_code: exactAmount("cost_per_code").nullish(),
  currency_code: z
    .string()
    .regex(/^[a-zA-Z]{3}$/, "currency_code must be a 3-letter ISO 4217 code, e.g. usd")
    .nullish(),
  expires_at: z.coerce.date().nullish(),
}

/** An import line as an object; its fields are checked line by line (validateImportEntries), naming the line. */
export const ImportEntryObject = z
  .object({
    code: z.unknown(),
    password: z.unknown().optional(),
    expires_at: z.unknown().optional(),
    cost: z.unknown().optional(),
  })
  .strict()

const ImportEntry = z.union([z.string(), ImportEntryObject])

export const AdminImportCardCodes = z
  .object({ codes: z.array(ImportEntry).min(1).max(MAX_IMPORT_ENTRIES), ...importMeta })
  .strict()
export type AdminImportCardCodesType = z.infer<typeof AdminImportCardCodes>


/** Fields of a multipart file import (the file itself is the `file` part). */
export const AdminImportCardFile = z
  .object({
    mode: z.enum(["all_or_nothing", "skip_invalid"]).default("all_or_nothing"),
    format: z.enum(["txt", "csv"]).optional(),
    ...importMeta,
  })
  .strict()
export type AdminImportCardFileType = z.infer<typeof AdminImportCardFile>

export const MAX_GENERATE_COUNT = 1_000_000

export const AdminGenerateCardCodes = z
  .object({
    count: z.coerce.number().int().min(1).max(MAX_GENERATE_COUNT),
    prefix: z.string().optional(),
    length: z.coerce.number().int().optional(),
    group_size: z.coerce.number().int().optional(),
    separator: z.string().optional(),
    ...importMeta,
  })
  .strict()
export type AdminGenerateCardCodesType = z.infer<typeof AdminGenerateCardCodes>

export const AdminGetImportErrorsParams = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), offset }).strict()

export const AdminGetCardCodesParams = z
  .object({
    pool_id: z.string().optional(),
    batch_id: z.string().optional(),
    order_id: z.string().optional(),
    status: z
      .union([
        z.enum(["available", "reserved", "delivered", "revealed", "voided", "expired"]),
        z.array(z.enum(["available", "reserved", "delivered", "revealed", "voided", "expired"])),
      ])
      .optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetCardCodesParamsType = z.infer<typeof AdminGetCardCodesParams>

/** Finding a code by its full value: a POST body, so that the code never appears in a URL (access logs, history). */
export const AdminSearchCardCodes = z
  .object({
    /** The full code: looked up through the blind index, never stored or logged. */
    code: z.string().min(1).max(512),
    pool_id: z.string().optional(),
  })
  .strict()
export type AdminSearchCardCodesType = z.infer<typeof AdminSearchCardCodes>

export const AdminRevealCardCode = z.object({ reason: z.string().trim().min(3).max(500) }).strict()
export type AdminRevealCardCodeType = z.infer<typeof AdminRevealCardCode>

export const AdminGetCardBatchesParams = z.object({ limit, offset }).strict()
export type AdminGetCardBatchesParamsType = z.infer<typeof AdminGetCardBatchesParams>

const isoDate = (name: string) =>
  z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), { message: `${name} must be an ISO date or date-time, e.g. 2026-11-23 or 2026-11-23T08:00:00Z` })
    .optional()

export const AdminGetCardAuditLogsParams = z
  .object({
    action: z.string().optional(),
    actor_id: z.string().optional(),
    order_id: z.string().optional(),
    pool_id: z.string().optional(),
    /** Entries at or after this time. */
    created_after: isoDate("created_after"),
    /** Entries before this time. */
    created_before: isoDate("created_before"),
    limit,
    offset,
  })
  .strict()
export type AdminGetCardAuditLogsParamsType = z.infer<typeof AdminGetCardAuditLogsParams>

export const AdminGetCardDeliveriesParams = z
  .object({ status: z.enum(["delivered", "held", "returned"]).optional(), limit, offset })
  .strict()
export type AdminGetCardDeliveriesParamsType = z.infer<typeof AdminGetCardDeliveriesParams>

export const AdminResendDelivery = z.object({ reason: z.string().trim().max(500).optional() }).strict()
export type AdminResendDeliveryType = z.infer<typeof AdminResendDelivery>

const day = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${name} must be a day as YYYY-MM-DD` })
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { message: `${name} is not a valid day` })
    .optional()

export const AdminGetSalesReportParams = z
  .object({ from: day("from"), to: day("to") })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from must not be after to" })
  .refine(
    (v) => !v.from || !v.to || Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`) <= 366 * 86_400_000,
    { message: "the period may span at most 366 days" }
  )
export type AdminGetSalesReportParamsType = z.infer<typeof AdminGetSalesReportParams>

const decimal = (name: string) =>
  z.union([z.number(), z.string()]).refine((v) => /^\d{1,16}(\.\d{1,4})?$/.test(String(v).trim()), {
    message: `${name} must be a positive decimal amount with at most 4 decimal places`,
  })

export const AdminCreateAgent = z
  .object({
    name: z.string().trim().min(1).max(200),
    parent_id: z.string().nullish(),
    customer_group_id: z.string().nullish(),
    customer_id: z.string().nullish(),
    currency_code: z.string().regex(/^[a-zA-Z]{3}$/, { message: "currency_code must be a 3-letter ISO code" }),
    credit_limit: decimal("credit_limit").optional(),
  })
  .strict()
export type AdminCreateAgentType = z.infer<typeof AdminCreateAgent>

export const AdminTopUpAgent = z
  .object({
    currency_code: z.string().regex(/^[a-zA-Z]{3}$/, { message: "currency_code must be a 3-letter ISO code" }),
    amount: decimal("amount"),
    note: z.string().max(500).nullish(),
  })
  .strict()
export type AdminTopUpAgentType = z.infer<typeof AdminTopUpAgent>

export const AdminCreateAgentApiKey = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(z.string()).min(1),
    expires_at: z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), { message: "expires_at must be an ISO date-time" })
      .nullish(),
  })
  .strict()
export type AdminCreateAgentApiKeyType = z.infer<typeof AdminCreateAgentApiKey>

export const AdminGetAgentLedgerParams = z.object({ limit, offset }).strict()

export const AdminGetAgentStatementParams = z
  .object({
    currency_code: z.string().regex(/^[a-z]{3}$/i, { message: "currency_code must be a 3-letter ISO code" }).transform((v) => v.toLowerCase()).optional(),
    from: day("from"),
    to: day("to"),
    format: z.enum(["json", "csv"]).optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from must not be after to" })
export type AdminGetAgentStatementParamsType = z.infer<typeof AdminGetAgentStatementParams>

export const AdminSetAgentQuota = z
  .object({
    variant_id: z.string().min(1),
    limit: z.number().int().min(0),
    period: z.enum(["none", "day", "week", "month"]).optional(),
  })
  .strict()
export type AdminSetAgentQuotaType = z.infer<typeof AdminSetAgentQuota>

const signedDecimal = (name: string) =>
  z.union([z.number(), z.string()]).refine((v) => /^-?\d{1,16}(\.\d{1,4})?$/.test(String(v).trim()) && Number(v) !== 0, {
    message: `${name} must be a non-zero decimal amount (negative to debit) with at most 4 decimal places`,
  })

/** A manual correction of an agent's balance: signed, always with the reason (it is on the statement). */
export const AdminAdjustAgent = z
  .object({
    currency_code: z.string().regex(/^[a-zA-Z]{3}$/, { message: "currency_code must be a 3-letter ISO code" }),
    amount: signedDecimal("amount"),
    note: z.string().trim().min(3).max(500),
  })
  .strict()
export type AdminAdjustAgentType = z.infer<typeof AdminAdjustAgent>

export const AdminUpdateAgent = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(["active", "frozen"]).optional(),
    credit_limit: decimal("credit_limit").optional(),
    currency_code: z.string().regex(/^[a-zA-Z]{3}$/, { message: "currency_code must be a 3-letter ISO code" }).optional(),
  })
  .strict()
  .refine((v) => v.credit_limit === undefined || v.currency_code, { message: "currency_code is required with credit_limit" })
export type AdminUpdateAgentType = z.infer<typeof AdminUpdateAgent>

export const AdminSetAgentWebhook = z
  .object({
    url: z.string().max(2000).nullable(),
    rotate_secret: z.boolean().optional(),
  })
  .strict()
export type AdminSetAgentWebhookType = z.infer<typeof AdminSetAgentWebhook>

export const AdminGetWebhookDeliveriesParams = z
  .object({
    agent_id: z.string().optional(),
    status: z.enum(["pending", "delivered", "dead"]).optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetWebhookDeliveriesParamsType = z.infer<typeof AdminGetWebhookDeliveriesParams>

const riskRuleFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(["velocity", "order_amount", "order_quantity", "first_purchase", "list", "radar"]),
  key: z.enum(["ip", "email", "email_domain", "customer", "agent", "device", "card_fingerprint"]).nullish(),
  measure: z.enum(["count", "amount", "quantity"]).nullish(),
  window_seconds: z.number().int().nullish(),
  threshold: z.number().nullish(),
  list_type: z.enum(["block", "allow", "review"]).nullish(),
  values: z.array(z.string().max(320)).max(10_000).nullish(),
  action: z.enum(["review", "block"]).optional(),
  applies_to: z.enum(["all", "store", "wholesale"]).optional(),
  enabled: z.boolean().optional(),
}

/** A risk rule; what each kind needs is checked by the risk module (field and reason named). */
export const AdminCreateRiskRule = z.object(riskRuleFields).strict()
export type AdminCreateRiskRuleType = z.infer<typeof AdminCreateRiskRule>
export const AdminUpdateRiskRule = z.object(riskRuleFields).partial().strict()
export type AdminUpdateRiskRuleType = z.infer<typeof AdminUpdateRiskRule>

export const AdminGetRiskDecisionsParams = z
  .object({
    review_status: z.enum(["pending", "approved", "rejected"]).optional(),
    action: z.enum(["allow", "review", "block"]).optional(),
    order_id: z.string().optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetRiskDecisionsParamsType = z.infer<typeof AdminGetRiskDecisionsParams>

export const AdminApproveRiskReview = z.object({ note: z.string().trim().max(1000).optional() }).strict()
export const AdminRejectRiskReview = z.object({ note: z.string().trim().min(3).max(1000) }).strict()
export type AdminRiskReviewType = { note?: string }

export const AdminGetPaymentFindingsParams = z
  .object({
    status: z.enum(["open", "resolved"]).optional(),
    kind: z
      .enum(["captured_without_order", "refunded_automatically", "refunded_in_stripe", "dispute", "capture_failed", "payment_failed", "stuck_pending"])
      .optional(),
    order_id: z.string().optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetPaymentFindingsParamsType = z.infer<typeof AdminGetPaymentFindingsParams>

export const AdminGetPaymentEventsParams = z
  .object({
    type: z.string().max(100).optional(),
    status: z.enum(["received", "processed", "ignored", "failed"]).optional(),
    payment_intent_id: z.string().max(255).optional(),
    limit,
    offset,
  })
  .strict()
export type AdminGetPaymentEventsParamsType = z.infer<typeof AdminGetPaymentEventsParams>

export const AdminResolvePaymentFinding = z.object({ note: z.string().trim().min(3).max(2000) }).strict()
export type AdminResolvePaymentFindingType = z.infer<typeof AdminResolvePaymentFinding>
