import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { releaseCartReservationsStep, syncCardPoolInventoryStep } from "../steps"
import { topUpSharedCodesStep } from "../../shared-codes/steps/top-up-shared-codes"

export type SweepCardReservationsWorkflowInput = { cart_ids: string[] }

export const sweepCardReservationsWorkflowId = "sweep-card-reservations"

/**
 * Releases reservations of carts that never became orders (abandoned or failed completions), makes new copies of
 * reusable pools' shared codes as they sell, and re-mirrors every linked pool's stock into inventory.
 *
 * @summary Release stale card code reservations.
 */
export const sweepCardReservationsWorkflow = createWorkflow(
  sweepCardReservationsWorkflowId,
  (input: SweepCardReservationsWorkflowInput) => {
    const result = releaseCartReservationsStep(
      transform({ input }, ({ input }) => ({ cart_ids: input.cart_ids, reason: "reservation expired" }))
    )
    topUpSharedCodesStep({})
    syncCardPoolInventoryStep({})
    return new WorkflowResponse(result)
  }
)
