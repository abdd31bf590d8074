import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { linkCardPoolToVariantWorkflow } from "../../../../../../workflows/virtual-goods/workflows/link-card-pool-to-variant"
import { fetchCardPool } from "../../../../../utils"
import type { AdminLinkCardPoolVariantType } from "../../../validators"

export const POST = async (req: AuthenticatedMedusaRequest<AdminLinkCardPoolVariantType>, res: MedusaResponse) => {
  await linkCardPoolToVariantWorkflow(req.scope).run({ input: { pool_id: req.params.id, ...req.validatedBody } })
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}
