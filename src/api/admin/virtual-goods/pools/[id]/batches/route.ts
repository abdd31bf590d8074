import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CARD_BATCH_FIELDS, fetchCardPool, vaultOf, withProgress } from "../../../../../utils"

/**
 * The pool's batches, newest first, each with its progress and report: codes by status, sold, voided as invalid
 * (supplier chargeback) and their cost.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchCardPool(req, req.params.id)
  const { limit, offset } = req.validatedQuery as { limit: number; offset: number }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_batch",
    fields: CARD_BATCH_FIELDS,
    filters: { pool_id: req.params.id },
    pagination: { skip: offset, take: limit, order: { created_at: "DESC" } },
  })
  const reports = await vaultOf(req).getBatchReports((data as any[]).map((b) => b.id))
  res.json({
    card_batches: (data as any[]).map((b) => ({ ...withProgress(b), report: reports[b.id] })),
    count: metadata?.count ?? data.length,
    offset,
    limit,
  })
}
