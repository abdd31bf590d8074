import { mkdir, writeFile } from "fs/promises"
import path from "path"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { outboundRequest } from "../../../utils/outbound-http"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

/** A checkpoint as exported: what verification needs, and nothing secret (the signature and the public key). */
export type ExportedAuditCheckpoint = { id: string; payload: string; signature: string; key_id: string; public_key: string; created_at: string }

export const exportAuditCheckpointStepId = "export-audit-checkpoint"

/** The file name of an exported checkpoint: sortable by time, unique by id. */
export const checkpointFileName = (c: Pick<ExportedAuditCheckpoint, "id" | "created_at">) =>
  `audit-checkpoint-${c.created_at.replace(/[:.]/g, "-")}-${c.id}.json`

/**
 * Sends a signed checkpoint out of the database: a file in `audit_checkpoint_dir` and a POST to
 * `audit_checkpoint_url`, when configured (the operator's own destinations, so private addresses are allowed). A copy
 * outside is what still catches a rewrite after someone with the database also rewrote its checkpoints. Irreversible,
 * the workflow's last step; a failed destination is reported, not retried (the next checkpoint covers it).
 */
export const exportAuditCheckpointStep = createStep(exportAuditCheckpointStepId, async (checkpoint: ExportedAuditCheckpoint, { container }) => {
  const { audit_checkpoint_dir: dir, audit_checkpoint_url: url } = cardVaultModule(container).getOptions()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const exported: string[] = []
  const failed: string[] = []
  const body = JSON.stringify(checkpoint, null, 2)
  if (dir) {
    try {
      await mkdir(dir, { recursive: true })
      const file = path.join(dir, checkpointFileName(checkpoint))
      await writeFile(file, body, { flag: "wx" })
      exported.push(file)
    } catch (e) {
      failed.push(`file: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  if (url) {
    try {
      const res = await outboundRequest(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "medusa-virtual-goods-audit" },
        body,
        allowPrivateAddresses: true,
      })
      if (res.status >= 200 && res.status < 300) exported.push(url)
      else failed.push(`url: HTTP ${res.status}`)
    } catch (e) {
      failed.push(`url: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  for (const f of failed) logger.warn(`virtual-goods: audit checkpoint ${checkpoint.id} was not exported (${f})`)
  return new StepResponse({ exported, failed })
})
