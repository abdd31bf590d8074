import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchCardBatch } from "../../../../utils/card-vault"

/** One batch with its progress (`progress.percent`, lines read, codes written, lines rejected) and final state. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ card_batch: await fetchCardBatch(req, req.params.id) })
}
