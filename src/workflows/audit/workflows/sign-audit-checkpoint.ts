import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createAuditCheckpointStep, exportAuditCheckpointStep } from "../steps"

export const signAuditCheckpointWorkflowId = "sign-audit-checkpoint"

/**
 * Signs the audit chains' heads with the Ed25519 key kept outside the database (option `audit_signing_key`), stores
 * the checkpoint and exports it (a file, a webhook). Run hourly by the `virtual-goods-audit-checkpoint` job and on demand
 * (`POST /admin/virtual-goods/audit-checkpoints`). Refused when no signing key is configured.
 *
 * @example
 * const { result } = await signAuditCheckpointWorkflow(container).run()
 *
 * @summary Sign and export a checkpoint of the audit log's chains.
 */
export const signAuditCheckpointWorkflow = createWorkflow(signAuditCheckpointWorkflowId, () => {
  const checkpoint = createAuditCheckpointStep()
  const exported = exportAuditCheckpointStep(checkpoint)
  return new WorkflowResponse(
    transform({ checkpoint, exported }, ({ checkpoint, exported }) => ({
      id: checkpoint.id,
      key_id: checkpoint.key_id,
      created_at: checkpoint.created_at,
      exported_to: exported.exported,
      export_failures: exported.failed,
    }))
  )
})
