import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { agentOf, agentOrderBody, requireScope } from "../../../../agent-utils"

/** The order's codes in plaintext again (scope `orders:read`); every fetch is a `reveal` in the audit log. */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  res.setHeader("Cache-Control", "no-store")
  res.json(await agentOrderBody(req, req.params.id, { reveal: true }))
}
