import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refundBundleComponentWorkflow } from "../../../../../../workflows/bundles"
import { actorOf, vaultOf } from "../../../../../utils/card-vault"
import type { RefundBundleComponentBodyType } from "../../../bundles/validators"

const FIELDS = ["id", "order_id", "line_item_id", "pool_id", "amount", "currency_code", "reason", "status", "restocked", "voided", "created_by", "created_at"] as const

/** The order's refunds of single bundle components. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const refunds = await vaultOf(req).listCardBundleRefunds({ order_id: req.params.id }, { select: [...FIELDS], order: { created_at: "ASC" } })
  res.json({ bundle_refunds: refunds })
}

/**
 * Refunds one component of a bundle line: its codes taken back (unrevealed to stock, revealed voided) and its share
 * of the line given back, once per line and pool.
 */
export const POST = async (req: AuthenticatedMedusaRequest<RefundBundleComponentBodyType>, res: MedusaResponse) => {
  const { result } = await refundBundleComponentWorkflow(req.scope).run({
    input: { ...req.validatedBody, order_id: req.params.id, actor: actorOf(req, "user") },
  })
  const refund = await vaultOf(req).retrieveCardBundleRefund(result.id, { select: [...FIELDS] })
  res.json({ bundle_refund: refund })
}
