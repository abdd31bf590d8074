import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { passThroughOffers } from "../../suppliers/utils/pass-through"
import { cardVaultModule } from "../utils/card-vault-module"

export type DeliverCardCodesStepInput = {
  order_id: string
  cart_id: string | null
  /** One per line and pool (a bundle's line once per component, marked `bundle`). */
  lines: { line_item_id: string; pool_id: string; quantity: number; bundle?: boolean; picked_code_id?: string }[]
  /** A shopper's order (from a cart): lines of pools that buy from a supplier at delivery may be procured. */
  procure?: boolean
}

export const deliverCardCodesStepId = "deliver-card-codes"

const isShortage = (e: unknown) => e instanceof MedusaError && e.message.startsWith("Out of stock while delivering")

/**
 * Binds the order's codes to its lines exactly once (see the vault's `deliverOrder`). Output holds code ids
 * only. When the vault runs short and the order may procure, the lines of pools with a pass-through supplier product
 * keep what they could take and are answered in `short` (what each still misses, to be bought); a shortage elsewhere
 * fails as before. Compensation hands the codes delivered by this run back to the cart's reservation.
 */
export const deliverCardCodesStep = createStep(
  deliverCardCodesStepId,
  async (input: DeliverCardCodesStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const { procure, ...delivery } = input
    let result: Awaited<ReturnType<typeof vault.deliverOrder>>
    try {
      result = await vault.deliverOrder(delivery)
    } catch (e) {
      // The common path pays nothing for pass-through: the pools' offers are read only once the vault runs short.
      if (!procure || !isShortage(e)) throw e
      const offers = await passThroughOffers(container, input.lines.map((l) => l.pool_id))
      if (!offers.size) throw e
      result = await vault.deliverOrder({ ...delivery, lines: input.lines.map((l) => ({ ...l, procurable: !l.bundle && offers.has(l.pool_id) })) })
    }
    return new StepResponse(result, { order_id: input.order_id, code_ids: result.delivered_now })
  },
  async (data, { container }) => {
    if (!data?.code_ids?.length) return
    const vault = cardVaultModule(container)
    await vault.undeliverCodes(data)
  }
)
