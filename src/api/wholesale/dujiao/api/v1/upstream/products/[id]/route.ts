import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf, requireScope } from "../../../../../../helpers"
import { DujiaoError, dujiaoCatalog, dujiaoRoute } from "../../../../../helpers"

/** One product of the agent's wholesale catalog by its number or our product id (an unlisted one with `is_active: false`); 404 `product_not_found` otherwise. */
export const GET = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const { products, product_numbers } = await dujiaoCatalog(req.scope, req, principal)
  // By its number, or by our product id.
  const wanted = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : product_numbers.get(req.params.id)
  const product = products.find((p) => p.id === wanted)
  if (!product) throw new DujiaoError(404, "product_not_found", "product not found")
  res.json({ ok: true, product })
})
