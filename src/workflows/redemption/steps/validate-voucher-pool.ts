import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type ValidateVoucherPoolStepInput = { pool_id: string; enabled?: boolean }

export const validateVoucherPoolStepId = "validate-voucher-pool"

/**
 * A voucher is one holder's to redeem: a reusable pool (one code sold to several orders) cannot be made redeemable.
 * Changes nothing.
 */
export const validateVoucherPoolStep = createStep(validateVoucherPoolStepId, async (input: ValidateVoucherPoolStepInput, { container }) => {
  const pool = await cardVaultModule(container).retrieveCardPool(input.pool_id, { select: ["id", "kind"] })
  if (pool.kind === "reusable" && input.enabled !== false) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Pool ${input.pool_id} is reusable (its codes are sold to several orders): its codes cannot be redeemable vouchers`
    )
  }
  return new StepResponse(void 0)
})
