import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { updateCardPoolWorkflow } from "../../../../../workflows/virtual-goods/workflows/update-card-pool"
import { fetchCardPool } from "../../../../utils/card-vault"
import type { AdminUpdateCardPoolType } from "../../validators"

/** One pool with its stock by status and its active alerts. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}

/** Updates name, description, allocation order (`fifo` | `expiry_first`) and alert thresholds (null turns one off). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateCardPoolType>, res: MedusaResponse) => {
  await fetchCardPool(req, req.params.id)
  await updateCardPoolWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}
