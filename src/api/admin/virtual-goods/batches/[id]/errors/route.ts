import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchCardBatch, vaultOf } from "../../../../../utils/card-vault"

/** The rejected lines of a batch (line, field, reason — never a code), by line. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchCardBatch(req, req.params.id)
  const { limit, offset } = req.validatedQuery as { limit: number; offset: number }
  const { errors, count } = await vaultOf(req).listImportErrors({ batch_id: req.params.id, limit, offset })
  res.json({ errors, count, offset, limit })
}
