import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { discardStaged } from "../../../../../../modules/card-vault/utils/import-sources"
import { startBackgroundImport } from "../../../../../../workflows/virtual-goods/utils/start-background-import"
import { formatOfFileName } from "../../../../../../modules/card-vault/utils/import-file"
import { actorOf, fetchCardBatch, fetchCardPool } from "../../../../../utils/card-vault"
import { stagedFileOf } from "../../../upload"
import type { AdminImportCardFileType } from "../../../validators"

/**
 * Imports an uploaded TXT or CSV file (multipart field `file`) into the pool in the background: answers 202 with the
 * batch in status `importing`; GET /admin/virtual-goods/batches/:id shows its progress, then `committed`,
 * `rejected` (bad lines in an all-or-nothing import, nothing stored) or `failed`. The upload was encrypted with a
 * process-only key on its way to disk, and is deleted when the import ends.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminImportCardFileType>, res: MedusaResponse) => {
  const file = stagedFileOf(req)
  if (!file) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, 'A file is required: send it as the multipart field "file"')
  }
  const body = req.validatedBody
  let batchId: string
  try {
    await fetchCardPool(req, req.params.id)
    batchId = await startBackgroundImport(
      req,
      {
        pool_id: req.params.id,
        source: "import",
        mode: body.mode,
        file_name: file.originalname,
        file_hash: file.sha256,
        bytes_total: file.size,
        supplier: body.supplier ?? null,
        cost_per_code: body.cost_per_code ?? null,
        currency_code: body.currency_code ?? null,
        expires_at: body.expires_at ?? null,
        actor: actorOf(req, "user"),
      },
      { type: "staged", id: file.staged_id, format: body.format ?? formatOfFileName(file.originalname) }
    )
  } catch (e) {
    await discardStaged(file.staged_id)
    throw e
  }
  res.status(202).json({ card_batch: await fetchCardBatch(req, batchId) })
}
