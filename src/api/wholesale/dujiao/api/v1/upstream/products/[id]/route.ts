import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf, requireScope } from "../../../../../../helpers"
import { DujiaoError, dujiaoCatalog, dujiaoRoute } from "../../../../../helpers"

/** One product of the agent's wholesale catalog (an unlisted one with `is_active: false`); 404 `product_not_found` otherwise. */
export const GET = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const { products } = await dujiaoCatalog(req.scope, req, principal)
  const product = products.find((p) => p.id === req.params.id)
  if (!product) throw new DujiaoError(404, "product_not_found", "product not found")
  res.json({ ok: true, product })
})
