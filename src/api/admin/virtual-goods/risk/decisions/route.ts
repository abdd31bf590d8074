import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { AdminGetRiskDecisionsParamsType } from "../../validators"
import { riskModule } from "../../../../../workflows/risk/utils/risk-module"

/**
 * Risk decisions, newest first: `?review_status=pending` is the review queue (held orders with their reasons and the
 * facts the rules saw); filter by action or order.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const { review_status, action, order_id, limit, offset } = req.validatedQuery as AdminGetRiskDecisionsParamsType
  const risk = riskModule(req.scope)
  const [decisions, count] = await risk.listAndCountRiskDecisions(
    { ...(review_status ? { review_status } : {}), ...(action ? { action } : {}), ...(order_id ? { order_id } : {}) },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  res.json({ risk_decisions: decisions, count, limit, offset })
}
