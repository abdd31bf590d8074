import type { MedusaStoreRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchCart } from "@medusajs/medusa/api/store/carts/helpers"
import { pickCardCodeWorkflow } from "../../../../../../workflows/picks/workflows/pick-card-code"
import { actorOf } from "../../../../../utils/card-vault"
import type { StorePickCardCodeType } from "../../../validators"

/**
 * Buyer's choice (自选卡密): adds the code the shopper picked (`{ variant_id, code_id }`) to the cart as its own line at
 * the variant's price plus the pool's premium, the code reserved for the cart. Answers the cart like Medusa's store
 * cart routes. 400 "This code was just taken; pick another" when another cart got it first.
 */
export const POST = async (req: MedusaStoreRequest<StorePickCardCodeType>, res: MedusaResponse) => {
  const actor = actorOf(req, "customer")
  await pickCardCodeWorkflow(req.scope).run({
    input: { cart_id: req.params.id, variant_id: req.validatedBody.variant_id, code_id: req.validatedBody.code_id, actor },
  })
  const cart = await refetchCart(req.params.id, req.scope, req.queryConfig.fields)
  res.status(200).json({ cart })
}
