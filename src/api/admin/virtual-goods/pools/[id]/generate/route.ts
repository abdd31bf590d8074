import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { startBackgroundImport } from "../../../../../../workflows/virtual-goods/utils/start-background-import"
import { resolveVoucherFormat } from "../../../../../../modules/card-vault/utils/voucher-code"
import { actorOf, fetchCardBatch, fetchCardPool } from "../../../../../utils/card-vault"
import type { AdminGenerateCardCodesType } from "../../../validators"

/**
 * Generates `count` vouchers into the pool in the background (Crockford base32, a check character, at least 64
 * random bits — a weaker format is refused with the arithmetic). Answers 202 with the batch; its progress shows on
 * GET /admin/virtual-goods/batches/:id.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminGenerateCardCodesType>, res: MedusaResponse) => {
  const { count, prefix, length, group_size, separator, ...meta } = req.validatedBody
  const format = resolveVoucherFormat({ prefix, length, group_size, separator })
  await fetchCardPool(req, req.params.id)
  const batchId = await startBackgroundImport(
    req,
    {
      pool_id: req.params.id,
      source: "generated",
      // A generated code that happens to exist already is skipped and another one generated in its place.
      mode: "skip_invalid",
      lines_total: count,
      generator: format,
      supplier: meta.supplier ?? null,
      cost_per_code: meta.cost_per_code ?? null,
      currency_code: meta.currency_code ?? null,
      expires_at: meta.expires_at ?? null,
      actor: actorOf(req, "user"),
    },
    { type: "generate", format, count }
  )
  res.status(202).json({ card_batch: await fetchCardBatch(req, batchId) })
}
