import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type UpdateCardPoolStepInput = {
  id: string
  name?: string
  description?: string | null
  stock_location_id?: string | null
  allocation_order?: "fifo" | "expiry_first"
  low_stock_threshold?: number | null
  expiry_warning_days?: number | null
  pick_premium_bp?: number | null
  pick_show_first?: number
  pick_show_last?: number
}

export const updateCardPoolStepId = "update-card-pool"

/** Updates one pool; compensation restores the fields it changed. */
export const updateCardPoolStep = createStep(
  updateCardPoolStepId,
  async (input: UpdateCardPoolStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const fields = Object.keys(input).filter((k) => k !== "id")
    const before = await vault.retrieveCardPool(input.id, { select: ["id", ...fields] })
    const updated = await vault.updateCardPools(input)
    return new StepResponse(updated, before)
  },
  async (before, { container }) => {
    if (!before) return
    const vault = cardVaultModule(container)
    await vault.updateCardPools(before as UpdateCardPoolStepInput)
  }
)
