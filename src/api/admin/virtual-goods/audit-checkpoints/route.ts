import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { signAuditCheckpointWorkflow } from "../../../../workflows/audit/workflows/sign-audit-checkpoint"
import { vaultOf } from "../../../utils/card-vault"
import type { ListAuditCheckpointsParamsType } from "./validators"

/** The signed checkpoints of the audit chains, newest first, and the key that verifies them. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, ListAuditCheckpointsParamsType>, res: MedusaResponse) => {
  const vault = vaultOf(req)
  const { limit } = req.validatedQuery as ListAuditCheckpointsParamsType
  const { checkpoints, count } = await vault.listAuditCheckpoints({ limit })
  res.json({
    public_key: vault.auditPublicKey(),
    checkpoints,
    count,
  })
}

/** Signs a checkpoint now (400 when no signing key is configured) and exports it. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await signAuditCheckpointWorkflow(req.scope).run()
  res.json({ audit_checkpoint: result })
}
