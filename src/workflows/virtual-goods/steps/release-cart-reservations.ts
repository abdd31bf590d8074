import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type ReleaseCartReservationsStepInput = { cart_ids: string[]; reason: string }

export const releaseCartReservationsStepId = "release-cart-reservations"

/**
 * Puts back the reservations of carts that never became orders. Releasing is safe to leave undone (a later
 * completion re-reserves), so there is nothing to compensate.
 */
export const releaseCartReservationsStep = createStep(
  releaseCartReservationsStepId,
  async (input: ReleaseCartReservationsStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const released: string[] = []
    for (const cartId of input.cart_ids) {
      const r = await vault.releaseReservations({ cart_id: cartId, reason: input.reason })
      released.push(...r.released_code_ids)
    }
    return new StepResponse({ released: released.length })
  }
)
