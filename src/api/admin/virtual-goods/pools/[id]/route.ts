import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchCardPool } from "../../../../utils"

export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ card_pool: await fetchCardPool(req, req.params.id) })
}
