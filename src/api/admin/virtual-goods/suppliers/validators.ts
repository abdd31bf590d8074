import { z } from "@medusajs/framework/zod"
import { ReportPeriodParams, type ReportPeriodParamsType } from "../../../utils/report-period"

/** Decimal text; the message names the field (Medusa's validation shows a custom message as it is). */
const decimal = (field: string) => z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, `${field} must be a decimal amount such as 12.50`)
const httpUrl = z
  .string()
  .url("base_url must be an http(s) URL")
  .refine((u) => /^https?:\/\//.test(u), "base_url must be an http(s) URL")

const settings = {
  base_url: httpUrl,
  config: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string().regex(/^[a-z_]{1,40}$/, "credentials: each name is lower-case letters and _ (at most 40)"), z.string().max(2000)).optional(),
  timeout_ms: z.number().int().min(500).max(120_000).optional(),
  rate_limit_per_minute: z.number().int().min(1).max(100_000).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  poll_interval_seconds: z.number().int().min(1).max(86_400).optional(),
  low_balance_threshold: decimal("low_balance_threshold").nullable().optional(),
}

export const AdminCreateSupplier = z
  .object({ name: z.string().min(1).max(200), adapter: z.enum(["medusa_store", "dujiao_next", "generic_http"]), ...settings })
  .strict()
export type AdminCreateSupplierType = z.infer<typeof AdminCreateSupplier>

export const AdminUpdateSupplier = z
  .object({ name: z.string().min(1).max(200).optional(), status: z.enum(["active", "disabled"]).optional(), ...settings, base_url: httpUrl.optional() })
  .strict()
export type AdminUpdateSupplierType = z.infer<typeof AdminUpdateSupplier>

/** A supplier product's costs and price guard (decimal text). */
const productCosts = {
  unit_cost: decimal("unit_cost").nullable().optional(),
  currency_code: z.string().length(3).nullable().optional(),
  max_unit_cost: decimal("max_unit_cost").nullable().optional(),
}

/** A codes product's restocking and pass-through (buying at delivery when its pool is empty). */
const codesSettings = {
  restock_threshold: z.number().int().min(0).nullable().optional(),
  restock_quantity: z.number().int().min(1).max(100_000).nullable().optional(),
  restock_daily_budget: decimal("restock_daily_budget").nullable().optional(),
  restock_daily_cap: z.number().int().min(1).nullable().optional(),
  pass_through: z.boolean().optional(),
}

export const AdminCreateSupplierProduct = z
  .object({
    kind: z.enum(["topup", "codes"]),
    upstream_product_id: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    ...productCosts,
    recipient_fields: z
      .array(
        z
          .object({
            key: z.string(),
            label: z.string().max(100).optional(),
            pattern: z.string().max(200).nullable().optional(),
            min_length: z.number().int().min(0).max(200).nullable().optional(),
            max_length: z.number().int().min(0).max(200).nullable().optional(),
            required: z.boolean().optional(),
          })
          .strict()
      )
      .max(10)
      .optional(),
    variant_id: z.string().min(1).optional(),
    pool_id: z.string().min(1).optional(),
    ...codesSettings,
  })
  .strict()
  .refine((p) => p.kind !== "topup" || (!!p.variant_id && !!p.recipient_fields?.length), "a top-up product needs variant_id and recipient_fields")
  .refine((p) => p.kind !== "codes" || !!p.pool_id, "a codes product needs pool_id")
export type AdminCreateSupplierProductType = z.infer<typeof AdminCreateSupplierProduct>

/** What an admin may change of a supplier product (its kind, upstream product, variant or pool stay). */
export const AdminUpdateSupplierProduct = z
  .object({
    name: z.string().min(1).max(200).optional(),
    status: z.enum(["active", "disabled"]).optional(),
    ...productCosts,
    ...codesSettings,
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to update: give at least one field")
export type AdminUpdateSupplierProductType = z.infer<typeof AdminUpdateSupplierProduct>

export const AdminGetSupplierOrdersParams = z
  .object({
    status: z.enum(["pending", "submitting", "accepted", "succeeded", "failed", "unknown"]).optional(),
    supplier_id: z.string().optional(),
    order_id: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminGetSupplierOrdersParamsType = z.infer<typeof AdminGetSupplierOrdersParams>

export const AdminResolveSupplierOrder = z
  .object({ action: z.enum(["retry", "refund", "mark_succeeded"]), reason: z.string().trim().min(3).max(500) })
  .strict()
export type AdminResolveSupplierOrderType = z.infer<typeof AdminResolveSupplierOrder>

export const AdminGetSupplierFindingsParams = z
  .object({
    status: z.enum(["open", "resolved"]).optional(),
    kind: z
      .enum(["missing_upstream", "missing_local", "state_mismatch", "cost_mismatch", "low_balance", "price_over_limit", "late_callback", "unknown_outcome", "restock_failed"])
      .optional(),
    supplier_id: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminGetSupplierFindingsParamsType = z.infer<typeof AdminGetSupplierFindingsParams>

export const AdminResolveSupplierFinding = z.object({ resolution: z.string().trim().min(3).max(500) }).strict()
export type AdminResolveSupplierFindingType = z.infer<typeof AdminResolveSupplierFinding>

export const AdminGetSupplierReportParams = ReportPeriodParams
export type AdminGetSupplierReportParamsType = ReportPeriodParamsType
