import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type HoldOrderDeliveryStepInput = { order_id: string; reason: string }

export const holdOrderDeliveryStepId = "hold-order-delivery"

/**
 * Records that an order's delivery is held, with the reason (audited): admins see it and the sweep job retries it.
 * Nothing to compensate: a hold is the safe state of an order whose delivery did not complete, and the delivery
 * record keeps it whatever comes after (the next delivery attempt replaces it).
 */
export const holdOrderDeliveryStep = createStep(holdOrderDeliveryStepId, async (input: HoldOrderDeliveryStepInput, { container }) => {
  const vault = cardVaultModule(container)
  const { held } = await vault.holdDelivery(input)
  return new StepResponse({ order_id: input.order_id, held })
})
