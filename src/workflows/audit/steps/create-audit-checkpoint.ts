import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export const createAuditCheckpointStepId = "create-audit-checkpoint"

/**
 * Signs the audit chains' heads and stores the checkpoint. No compensation: a checkpoint states what the chains were,
 * signed; it stays true whatever happens after, and the table refuses deletions like the log it vouches for.
 */
export const createAuditCheckpointStep = createStep(createAuditCheckpointStepId, async (_: void, { container }) => {
  const checkpoint = await cardVaultModule(container).createAuditCheckpoint()
  return new StepResponse({
    id: checkpoint.id,
    payload: checkpoint.payload,
    signature: checkpoint.signature,
    key_id: checkpoint.key_id,
    public_key: checkpoint.public_key,
    created_at: new Date(checkpoint.created_at).toISOString(),
  })
})
