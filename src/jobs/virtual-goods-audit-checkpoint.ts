import { MedusaContainer } from "@medusajs/framework/types"
import { signAuditCheckpointWorkflow } from "../workflows/audit/workflows/sign-audit-checkpoint"
import { cardVaultModule } from "../workflows/virtual-goods/utils/card-vault-module"
import { runOncePerTick } from "../utils/once-per-tick"

/** Every hour: the audit chains' heads are signed and exported, when a signing key is configured. */
export default async function virtualGoodsAuditCheckpoint(container: MedusaContainer) {
  if (!cardVaultModule(container).auditPublicKey()) return
  await runOncePerTick(container, config, () => signAuditCheckpointWorkflow(container).run())
}

export const config = {
  name: "virtual-goods-audit-checkpoint",
  schedule: "41 * * * *",
}
