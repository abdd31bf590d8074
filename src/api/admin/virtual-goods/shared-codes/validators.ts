import { z } from "@medusajs/framework/zod"
import { ImportEntryObject, importMeta } from "../validators"

/** At most this many shared codes per addition (each becomes copies as it sells). */
export const MAX_SHARED_CODES = 1000
/** The largest sale limit a shared code may have (null: unlimited). */
export const MAX_SALE_LIMIT = 1_000_000

const saleLimit = z.number().int().min(1).max(MAX_SALE_LIMIT).nullable()

const SharedCodeEntry = z.union([
  z.string(),
  /** A line's own sale limit (null: unlimited) overrides the request's `sale_limit`; checked per line by saleLimitOf. */
  ImportEntryObject.extend({ sale_limit: z.unknown().optional() }).strict(),
])

export const AddSharedCodesBody = z
  .object({
    codes: z.array(SharedCodeEntry).min(1).max(MAX_SHARED_CODES),
    /** How many orders may buy each code unless a line says otherwise; null (the default): unlimited. */
    sale_limit: saleLimit.default(null),
    ...importMeta,
  })
  .strict()
export type AddSharedCodesBodyType = z.infer<typeof AddSharedCodesBody>

export const ListSharedCodesParams = z
  .object({
    status: z.enum(["active", "withdrawn"]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type ListSharedCodesParamsType = z.infer<typeof ListSharedCodesParams>

export const WithdrawSharedCodeBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict()
export type WithdrawSharedCodeBodyType = z.infer<typeof WithdrawSharedCodeBody>

/**
 * A line's sale limit: its own `sale_limit` when it gives one (a positive whole number, or null for unlimited),
 * else the request's. Returns the limit or the line's error (never the code).
 */
export function saleLimitOf(
  raw: unknown,
  line: number,
  fallback: number | null
): { limit: number | null; error?: undefined } | { error: { line: number; field: "sale_limit"; message: string }; limit?: undefined } {
  if (!raw || typeof raw !== "object" || !("sale_limit" in raw) || raw.sale_limit === undefined) return { limit: fallback }
  const v = (raw as { sale_limit: unknown }).sale_limit
  if (v === null) return { limit: null }
  if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_SALE_LIMIT) return { limit: v }
  return { error: { line, field: "sale_limit", message: `must be a whole number from 1 to ${MAX_SALE_LIMIT}, or null for unlimited` } }
}
