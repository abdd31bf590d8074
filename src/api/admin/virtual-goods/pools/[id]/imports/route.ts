import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { validateImportEntries } from "../../../../../../modules/card-vault/utils/import-entries"
import { importCardCodesWorkflow } from "../../../../../../workflows/virtual-goods/workflows/import-card-codes"
import { actorOf, CARD_BATCH_FIELDS, fetchCardPool, sealNewCodes, vaultOf } from "../../../../../utils/card-vault"
import type { AdminImportCardCodesType } from "../../../validators"

/**
 * Imports a list of codes into the pool as one batch, all or nothing. Bad entries are reported per line (field
 * and reason, never the code) with a 400 and nothing is stored. The codes are sealed here, before the workflow,
 * so no plaintext enters the workflow engine.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminImportCardCodesType>, res: MedusaResponse) => {
  const poolId = req.params.id
  const body = req.validatedBody
  await fetchCardPool(req, poolId)
  const vault = vaultOf(req)
  const { entries, errors } = validateImportEntries(body.codes)
  const sealed = await sealNewCodes(vault, poolId, entries, errors)
  if (errors.length) {
    res.status(400).json({
      type: "invalid_data",
      message: `Import rejected, nothing stored: ${errors.length} of ${body.codes.length} entries are invalid`,
      errors,
    })
    return
  }
  const { result } = await importCardCodesWorkflow(req.scope).run({
    input: {
      pool_id: poolId,
      codes: sealed,
      supplier: body.supplier ?? null,
      cost_per_code: body.cost_per_code ?? null,
      currency_code: body.currency_code ?? null,
      expires_at: body.expires_at ?? null,
      actor: actorOf(req, "user"),
    },
  })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "card_batch", fields: CARD_BATCH_FIELDS, filters: { id: result.batch_id } })
  res.status(200).json({ card_batch: data[0], imported: result.imported })
}
