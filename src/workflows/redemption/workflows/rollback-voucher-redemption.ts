import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { RollbackRedemptionInput } from "../../../modules/redemption/service"
import { RedemptionEvents } from "../../../utils/events"
import { rollbackVoucherRedemptionStep } from "../steps/rollback-voucher-redemption"

export type RollbackVoucherRedemptionWorkflowInput = Omit<RollbackRedemptionInput, "ignore_window">

export const rollbackVoucherRedemptionWorkflowId = "rollback-voucher-redemption"

/**
 * Gives a redemption back within its program's window, with a reason, once (a second try is refused), and announces it.
 *
 * @example
 * await rollbackVoucherRedemptionWorkflow(container).run({ input: { redemption_id, reason: "wrong item", channel: "counter", actor_type: "user", actor_id } })
 *
 * @summary Roll back a voucher redemption.
 */
export const rollbackVoucherRedemptionWorkflow = createWorkflow(rollbackVoucherRedemptionWorkflowId, (input: RollbackVoucherRedemptionWorkflowInput) => {
  const rollback = rollbackVoucherRedemptionStep(input)
  emitEventStep({
    eventName: RedemptionEvents.ROLLED_BACK,
    data: transform({ rollback }, ({ rollback }) => ({ id: rollback.id, reverses_id: rollback.reverses_id, code_id: rollback.code_id, pool_id: rollback.pool_id })),
  })
  return new WorkflowResponse(rollback)
})
