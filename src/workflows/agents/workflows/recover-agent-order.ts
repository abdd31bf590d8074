import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { deliverOrderCodesWorkflow } from "../../virtual-goods/workflows/deliver-order-codes"
import {
  completeRecoveredAgentOrderStep,
  inspectStaleAgentOrderStep,
  InspectStaleAgentOrderStepInput,
  linkRecoveredAgentOrderStep,
  StaleAgentOrder,
  undoAgentOrderStep,
} from "../steps"
import { wholesaleReservationKey } from "../utils/reservation-key"

export type RecoverAgentOrderWorkflowInput = InspectStaleAgentOrderStepInput

export type RecoverAgentOrderWorkflowOutput = { agent_order_id: string; action: StaleAgentOrder["action"] }

export const recoverAgentOrderWorkflowId = "recover-agent-order"

/**
 * Resolves a wholesale order whose request was cut off (a crash between its steps leaves it `processing`): finishes
 * it when its codes were delivered (fulfillment, link, webhook, completion), or cancels its Medusa order (refunding
 * the ledger-paid payment) and takes back codes, money and quota, freeing the key. Run by the recovery job for
 * orders without progress for a while.
 *
 * @example
 * const { result } = await recoverAgentOrderWorkflow(container).run({ input: { agent_order_id: "aord_123", stale_after_seconds: 600 } })
 *
 * @summary Finish or undo an interrupted wholesale order.
 */
export const recoverAgentOrderWorkflow = createWorkflow(recoverAgentOrderWorkflowId, (input: RecoverAgentOrderWorkflowInput) => {
  const state = inspectStaleAgentOrderStep(input)

  when("finish-interrupted-agent-order", { state }, ({ state }) => state.action === "complete").then(() => {
    deliverOrderCodesWorkflow.runAsStep({
      input: transform({ state }, ({ state }) => ({
        order_id: state.order_id!,
        reservation_key: wholesaleReservationKey(state.agent_order_id),
        notify: false,
      })),
    })
    linkRecoveredAgentOrderStep(
      transform({ state }, ({ state }) => ({ agent_order_id: state.agent_order_id, order_id: state.order_id!, linked: state.order_linked }))
    )
    completeRecoveredAgentOrderStep(state)
  })

  when("cancel-interrupted-medusa-order", { state }, ({ state }) => state.action === "undo" && state.order_open).then(() => {
    cancelOrderWorkflow.runAsStep({ input: transform({ state }, ({ state }) => ({ order_id: state.order_id! })) })
  })
  when("undo-interrupted-agent-order", { state }, ({ state }) => state.action === "undo").then(() => {
    undoAgentOrderStep(state)
  })

  return new WorkflowResponse(
    transform({ state }, ({ state }): RecoverAgentOrderWorkflowOutput => ({ agent_order_id: state.agent_order_id, action: state.action }))
  )
})
