import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardActor } from "../../../modules/card-vault/types"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ReservePickedCodeStepInput = { cart_id: string; code_id: string; pool_id: string; actor?: CardActor }

export const reservePickedCodeStepId = "reserve-picked-code"

/**
 * Reserves the picked code for the cart (the vault's one conditional UPDATE: of carts racing for a code one wins, the
 * others get NOT_ALLOWED "This code was just taken; pick another"). Answers the code's id and label. Compensation
 * gives the code back to stock if this run reserved it.
 */
export const reservePickedCodeStep = createStep(
  reservePickedCodeStepId,
  async (input: ReservePickedCodeStepInput, { container }) => {
    const picked = await cardVaultModule(container).pickCode(input)
    return new StepResponse(
      { code_id: picked.code_id, pick_label: picked.pick_label },
      picked.reserved_now ? { cart_id: input.cart_id, code_id: picked.code_id } : null
    )
  },
  async (reserved, { container }) => {
    if (!reserved) return
    await cardVaultModule(container).unpickCode({ ...reserved, reason: "pick rolled back" })
  }
)
