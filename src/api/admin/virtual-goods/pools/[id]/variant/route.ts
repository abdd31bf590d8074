import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { linkCardPoolToVariantWorkflow } from "../../../../../../workflows/virtual-goods/workflows/link-card-pool-to-variant"
import { unlinkCardPoolFromVariantWorkflow } from "../../../../../../workflows/virtual-goods/workflows/unlink-card-pool-from-variant"
import { fetchCardPool } from "../../../../../utils/card-vault"
import type { AdminLinkCardPoolVariantType } from "../../../validators"

/** Sells a variant from this pool. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminLinkCardPoolVariantType>, res: MedusaResponse) => {
  await linkCardPoolToVariantWorkflow(req.scope).run({ input: { pool_id: req.params.id, ...req.validatedBody } })
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}

/** Stops selling the pool's variant (its stock at the pool's location becomes 0); refused during checkouts in flight. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await unlinkCardPoolFromVariantWorkflow(req.scope).run({ input: { pool_id: req.params.id } })
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}
