import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { VoucherProgramInput } from "../../../modules/redemption/service"
import { setVoucherProgramStep } from "../steps/set-voucher-program"
import { validateVoucherPoolStep } from "../steps/validate-voucher-pool"

export type SetVoucherProgramWorkflowInput = VoucherProgramInput

export const setVoucherProgramWorkflowId = "set-voucher-program"

/**
 * Makes a pool's codes the merchant's own vouchers, redeemable (核销) as `single_use`, `multi_use` (`uses`) or
 * `stored_value` (`face_value`, `currency_code`), with a rollback window; or changes or disables its program.
 *
 * @example
 * await setVoucherProgramWorkflow(container).run({ input: { pool_id, kind: "stored_value", face_value: "50", currency_code: "cny" } })
 *
 * @summary Set a pool's redemption program.
 */
export const setVoucherProgramWorkflow = createWorkflow(setVoucherProgramWorkflowId, (input: SetVoucherProgramWorkflowInput) => {
  validateVoucherPoolStep(transform({ input }, ({ input }) => ({ pool_id: input.pool_id, enabled: input.status !== "disabled" })))
  return new WorkflowResponse(setVoucherProgramStep(input))
})
