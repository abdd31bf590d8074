import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { assertNotExpired, voucherCodeOf } from "../utils/voucher-code"

export type CheckVoucherCodeStepInput = { code_id: string }

export const checkVoucherCodeStepId = "check-voucher-code"

/** Reads the voucher's code in the vault (sold, in a pool with a program, not expired); outputs its ids. Reads only. */
export const checkVoucherCodeStep = createStep(checkVoucherCodeStepId, async (input: CheckVoucherCodeStepInput, { container }) => {
  const code = await voucherCodeOf(container, { code_id: input.code_id })
  assertNotExpired(code)
  return new StepResponse({ code_id: code.code_id, pool_id: code.pool_id })
})
