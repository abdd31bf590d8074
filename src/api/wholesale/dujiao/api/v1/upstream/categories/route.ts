import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf, requireScope } from "../../../../../helpers"
import { dujiaoCatalog, dujiaoRoute } from "../../../../helpers"

/** The categories of the agent's wholesale products (scope `catalog:read`). */
export const GET = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const { categories } = await dujiaoCatalog(req.scope, req, principal)
  res.json({ ok: true, categories })
})
