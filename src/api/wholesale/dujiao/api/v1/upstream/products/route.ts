import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf, requireScope } from "../../../../../helpers"
import { DujiaoError, dujiaoCatalog, dujiaoRoute } from "../../../../helpers"

const PAGE_SIZE = 50

const intParam = (value: unknown, fallback: number) => {
  const n = typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/**
 * The agent's wholesale catalog as dujiao-next products, one SKU per variant at the agent's price (scope
 * `catalog:read`): `page`, `page_size` (at most 50), `updated_after` (RFC 3339), `include_inactive=true`.
 */
export const GET = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const q = req.query as Record<string, unknown>
  const page = intParam(q.page, 1)
  const pageSize = Math.min(intParam(q.page_size, PAGE_SIZE), PAGE_SIZE)
  const includeInactive = q.include_inactive === "true"
  let since: number | null = null
  if (typeof q.updated_after === "string" && q.updated_after) {
    since = Date.parse(q.updated_after)
    if (Number.isNaN(since)) throw new DujiaoError(400, "bad_request", "updated_after must be an RFC 3339 date")
  }
  const { products } = await dujiaoCatalog(req.scope, req, principal)
  const listed = products.filter((p) => (includeInactive || p.is_active) && (since === null || Date.parse(p.updated_at) > since))
  res.json({
    ok: true,
    items: listed.slice((page - 1) * pageSize, page * pageSize),
    total: listed.length,
    page,
    page_size: pageSize,
    includes_inactive: includeInactive,
  })
})
