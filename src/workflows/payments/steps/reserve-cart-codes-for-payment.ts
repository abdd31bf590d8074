import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ReserveCartCodesForPaymentStepInput = { cart_id: string; items: { pool_id: string; quantity: number }[] }

export const reserveCartCodesForPaymentStepId = "reserve-cart-codes-for-payment"

/**
 * Reserves the cart's codes before its shopper pays (the vault's checkout reservation, re-entrant per cart: codes the
 * cart already holds count). Out of stock → the vault's 400 "Out of stock: …". Compensation releases exactly the
 * codes this run reserved.
 */
export const reserveCartCodesForPaymentStep = createStep(
  reserveCartCodesForPaymentStepId,
  async (input: ReserveCartCodesForPaymentStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const { reserved_code_ids } = await vault.reserveForCart({ cart_id: input.cart_id, items: input.items })
    const held = await vault.listCardCodes({ cart_id: input.cart_id, status: "reserved" }, { select: ["id"] })
    return new StepResponse({ reserved_now: reserved_code_ids.length, held: held.length }, reserved_code_ids)
  },
  async (codeIds, { container }) => {
    if (!codeIds?.length) return
    await cardVaultModule(container).releaseReservations({ code_ids: codeIds, reason: "payment hold failed" })
  }
)
