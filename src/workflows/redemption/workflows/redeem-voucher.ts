import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { RedeemVoucherInput, VoucherRedemptionRow } from "../../../modules/redemption/service"
import { RedemptionEvents } from "../../../utils/events"
import { checkVoucherCodeStep } from "../steps/check-voucher-code"
import { redeemVoucherStep } from "../steps/redeem-voucher"

/**
 * A redemption as the ledger takes it, without the pool (read from the code). `code_id`: the route resolves the code by
 * its blind index, so the code never enters the workflow.
 */
export type RedeemVoucherWorkflowInput = Omit<RedeemVoucherInput, "pool_id">
export type RedeemVoucherWorkflowOutput = { redemption: VoucherRedemptionRow; replayed: boolean }

export const redeemVoucherWorkflowId = "redeem-voucher"

/**
 * Redeems a voucher (核销): checks its code (sold, in a pool with a program, not expired), takes one use or `amount` of a
 * stored value in one conditional statement with its ledger row, once per request key (a replay answers the same
 * redemption), and announces it (`virtual_goods.voucher.redeemed`, ids only).
 *
 * @example
 * await redeemVoucherWorkflow(container).run({
 *   input: { code_id, amount: "12.50", channel: "counter", actor_type: "user", actor_id: userId, idempotency_key, request_hash },
 * })
 *
 * @summary Redeem a voucher.
 */
export const redeemVoucherWorkflow = createWorkflow(redeemVoucherWorkflowId, (input: RedeemVoucherWorkflowInput) => {
  const code = checkVoucherCodeStep(transform({ input }, ({ input }) => ({ code_id: input.code_id })))
  const result = redeemVoucherStep(
    transform({ input, code }, ({ input, code }) => ({
      code_id: code.code_id,
      pool_id: code.pool_id,
      amount: input.amount ?? null,
      channel: input.channel,
      actor_type: input.actor_type,
      actor_id: input.actor_id,
      idempotency_key: input.idempotency_key,
      request_hash: input.request_hash,
    }))
  )
  when("announce-redemption", { result }, ({ result }) => !result.replayed).then(() => {
    emitEventStep({
      eventName: RedemptionEvents.REDEEMED,
      data: transform({ result }, ({ result }) => ({ id: result.redemption.id, code_id: result.redemption.code_id, pool_id: result.redemption.pool_id, channel: result.redemption.channel })),
    })
  })
  return new WorkflowResponse(result as RedeemVoucherWorkflowOutput)
})
