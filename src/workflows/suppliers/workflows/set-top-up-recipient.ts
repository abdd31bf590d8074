import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateLineItemInCartWorkflow } from "@medusajs/medusa/core-flows"
import { saveTopUpRecipientStep, SaveTopUpRecipientStepInput } from "../steps/save-top-up-recipient"

export type SetTopUpRecipientWorkflowInput = SaveTopUpRecipientStepInput
export type SetTopUpRecipientWorkflowOutput = { id: string; masked: string }

export const setTopUpRecipientWorkflowId = "set-top-up-recipient"

/**
 * Sets the recipient of a cart's top-up line (phone number, game account…): validated per product, sealed, and the
 * line's metadata given only its id and mask (Medusa's tables never hold it in clear).
 *
 * @example
 * await setTopUpRecipientWorkflow(container).run({ input: { cart_id, line_item_id, recipient: { phone: "13800138000" } } })
 *
 * @summary Set a top-up line's recipient.
 */
export const setTopUpRecipientWorkflow = createWorkflow(setTopUpRecipientWorkflowId, (input: SetTopUpRecipientWorkflowInput) => {
  const saved = saveTopUpRecipientStep(input)
  updateLineItemInCartWorkflow.runAsStep({
    input: transform({ input, saved }, ({ input, saved }) => ({
      cart_id: input.cart_id,
      item_id: input.line_item_id,
      update: { quantity: saved.quantity, metadata: saved.metadata },
    })),
  })
  return new WorkflowResponse(transform({ saved }, ({ saved }): SetTopUpRecipientWorkflowOutput => saved.recipient))
})
