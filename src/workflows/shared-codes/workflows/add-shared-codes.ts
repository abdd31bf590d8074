import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SharedCodeEvents } from "../../../utils/events"
import { syncCardPoolInventoryStep } from "../../virtual-goods/steps"
import { importSharedCodesStep, type ImportSharedCodesStepInput } from "../steps"

export type AddSharedCodesWorkflowInput = ImportSharedCodesStepInput

export const addSharedCodesWorkflowId = "add-shared-codes"

/**
 * Adds shared codes (循环卡密) to a reusable pool as one batch, all or nothing, each with its sale limit (null:
 * unlimited), makes their first copies for sale and mirrors the pool's stock. Takes each code's first copy already
 * sealed (the admin route seals it), so no plaintext enters the workflow engine.
 *
 * @example
 * const [copy] = vault.sealCodes(poolId, [entry])
 * await addSharedCodesWorkflow(container).run({ input: { pool_id: poolId, codes: [{ copy, sale_limit: 5 }], actor } })
 *
 * @summary Add shared codes to a reusable pool.
 */
export const addSharedCodesWorkflow = createWorkflow(addSharedCodesWorkflowId, (input: AddSharedCodesWorkflowInput) => {
  const result = importSharedCodesStep(input)
  syncCardPoolInventoryStep(transform({ input }, ({ input }) => ({ pool_ids: [input.pool_id] })))
  emitEventStep({
    eventName: SharedCodeEvents.ADDED,
    data: transform({ input, result }, ({ input, result }) => ({
      pool_id: input.pool_id,
      batch_id: result.batch_id,
      shared_code_count: result.shared_code_ids.length,
    })),
  })
  return new WorkflowResponse(result)
})
