import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { readExportedCheckpoints } from "../../../../../workflows/audit/utils/exported-checkpoints"
import { vaultOf } from "../../../../utils/card-vault"

/**
 * Verifies the audit log (read only): every row's hash and place in its chain, the chains' heads, and the signed
 * checkpoints — stored and exported to `audit_checkpoint_dir` — against the configured signing key. Answers the report
 * with the first broken link of each chain.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const vault = vaultOf(req)
  const extra = await readExportedCheckpoints(vault.getOptions().audit_checkpoint_dir)
  res.json({ audit_chain: await vault.verifyAuditChain({ extra_checkpoints: extra }) })
}
