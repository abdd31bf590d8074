import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export const releaseRejectedReservationsStepId = "release-rejected-reservations"

/** Returns the codes a rejected order's checkout still holds to stock (its order gets none). */
export const releaseRejectedReservationsStep = createStep(
  releaseRejectedReservationsStepId,
  async (input: { cart_id: string | null }, { container }) => {
    if (!input.cart_id) return new StepResponse({ released: 0 })
    const { released_code_ids } = await cardVaultModule(container).releaseReservations({ cart_id: input.cart_id, reason: "order rejected after risk review" })
    return new StepResponse({ released: released_code_ids.length })
  }
)
