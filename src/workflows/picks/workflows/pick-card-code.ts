import { addToCartWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/types"
import { prepareCardCodePickStep, reservePickedCodeStep } from "../steps"

export type PickCardCodeWorkflowInput = { cart_id: string; variant_id: string; code_id: string; actor?: CardActor }

export type PickCardCodeWorkflowOutput = { cart_id: string; code_id: string; pick_label: string | null; unit_price: string }

export const pickCardCodeWorkflowId = "pick-card-code"

/**
 * Buyer's choice (自选卡密): a shopper picks one code of a pool that offers picking and it is added to their cart as its
 * own line (quantity 1) at the variant's price plus the pool's premium. The code is reserved for the cart first, with
 * one conditional UPDATE (of carts racing for it exactly one gets it; the others a 400 "This code was just taken; pick
 * another"); then Medusa's `addToCartWorkflow` adds the line with that custom unit price and the code's id and label in
 * its metadata (never the code). If adding the line fails, the reservation is rolled back. Picking the same code for
 * the same cart again changes nothing.
 *
 * @example
 * await pickCardCodeWorkflow(container).run({ input: { cart_id: "cart_123", variant_id: "variant_123", code_id: "ccode_123" } })
 *
 * @summary Pick a card code into a cart.
 */
export const pickCardCodeWorkflow = createWorkflow(pickCardCodeWorkflowId, (input: PickCardCodeWorkflowInput) => {
  const pick = prepareCardCodePickStep(transform({ input }, ({ input }) => ({ cart_id: input.cart_id, variant_id: input.variant_id, code_id: input.code_id })))
  const reserved = reservePickedCodeStep(
    transform({ input, pick }, ({ input, pick }) => ({ cart_id: pick.cart_id, code_id: pick.code_id, pool_id: pick.pool_id, actor: input.actor }))
  )
  when("add-picked-line", { pick }, ({ pick }) => !pick.already_in_cart).then(() => {
    addToCartWorkflow.runAsStep({
      input: transform({ pick, reserved }, ({ pick, reserved }) => ({
        cart_id: pick.cart_id,
        items: [
          {
            variant_id: pick.variant_id,
            quantity: 1,
            unit_price: pick.unit_price,
            metadata: { picked_code_id: reserved.code_id, pick_label: reserved.pick_label },
          },
        ],
      })),
    })
  })
  return new WorkflowResponse(
    transform({ pick, reserved }, ({ pick, reserved }): PickCardCodeWorkflowOutput => ({
      cart_id: pick.cart_id,
      code_id: reserved.code_id,
      pick_label: reserved.pick_label,
      unit_price: pick.unit_price,
    }))
  )
})
