import { ExecArgs } from "@medusajs/framework/types"
import { signAuditCheckpointWorkflow } from "../workflows/audit/workflows/sign-audit-checkpoint"

/** Signs a checkpoint of the audit chains now and exports it (as the hourly job does). */
export default async function auditCheckpoint({ container }: ExecArgs) {
  const { result } = await signAuditCheckpointWorkflow(container).run()
  process.stdout.write(
    `Checkpoint ${result.id} signed with key ${result.key_id} at ${result.created_at}` +
      (result.exported_to.length ? `; exported to ${result.exported_to.join(", ")}` : "; not exported (no audit_checkpoint_dir or audit_checkpoint_url)") +
      (result.export_failures.length ? `; FAILED: ${result.export_failures.join("; ")}` : "") +
      "\n"
  )
  if (result.export_failures.length) process.exitCode = 1
}
