import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SharedCodeEvents } from "../../../utils/events"
import { syncCardPoolInventoryStep } from "../../virtual-goods/steps"
import { notifySharedCodeHoldersStep, withdrawSharedCodeStep, type WithdrawSharedCodeStepInput } from "../steps"

export type WithdrawSharedCodeWorkflowInput = WithdrawSharedCodeStepInput

export const withdrawSharedCodeWorkflowId = "withdraw-shared-code"

/**
 * Withdraws a shared code of a reusable pool (the account was closed, the link leaked): it is sold no more — its
 * unsold copies are voided — and every order holding a sold copy is told by email; buyers keep what they bought (a
 * replacement goes through the order's reissue). Refunding one buyer never does this: their copy alone comes back.
 *
 * @example
 * await withdrawSharedCodeWorkflow(container).run({
 *   input: { pool_id, shared_code_id, reason: "account closed by the provider", actor: { type: "user", id } },
 * })
 *
 * @summary Withdraw a shared code and tell its holders.
 */
export const withdrawSharedCodeWorkflow = createWorkflow(withdrawSharedCodeWorkflowId, (input: WithdrawSharedCodeWorkflowInput) => {
  const result = withdrawSharedCodeStep(input)
  syncCardPoolInventoryStep(transform({ input }, ({ input }) => ({ pool_ids: [input.pool_id] })))
  emitEventStep({
    eventName: SharedCodeEvents.WITHDRAWN,
    data: transform({ result }, ({ result }) => ({
      id: result.shared_code_id,
      pool_id: result.pool_id,
      order_ids: result.holders.map((h) => h.order_id),
      voided: result.voided_code_ids.length,
    })),
  })
  const notified = notifySharedCodeHoldersStep(
    transform({ input, result }, ({ input, result }) => ({ shared_code_id: result.shared_code_id, reason: input.reason, holders: result.holders }))
  )
  return new WorkflowResponse(
    transform({ result, notified }, ({ result, notified }) => ({
      id: result.shared_code_id,
      voided: result.voided_code_ids.length,
      holders: result.holders.length,
      notified: notified.notified,
    }))
  )
})
