import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CARD_BATCH_FIELDS, type CardBatchRow, fetchCardPool, queryListPage, vaultOf, withProgress } from "../../../../../utils/card-vault"
import type { AdminGetCardBatchesParamsType } from "../../../validators"

/**
 * The pool's batches, newest first, each with its progress and report: codes by status, sold, voided as invalid
 * (supplier chargeback) and their cost.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardBatchesParamsType>, res: MedusaResponse) => {
  await fetchCardPool(req, req.params.id)
  const { limit, offset } = req.validatedQuery as AdminGetCardBatchesParamsType
  const { rows, ...page } = await queryListPage<CardBatchRow>(req, {
    entity: "card_batch",
    fields: CARD_BATCH_FIELDS,
    filters: { pool_id: req.params.id },
    order: { created_at: "DESC" },
    limit,
    offset,
  })
  const reports = await vaultOf(req).getBatchReports(rows.map((b) => b.id))
  res.json({ card_batches: rows.map((b) => ({ ...withProgress(b), report: reports[b.id] })), ...page })
}
