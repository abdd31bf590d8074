import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { createCardPoolWorkflow } from "../../../../workflows/virtual-goods/workflows/create-card-pool"
import { fetchCardPool, fetchCardPools } from "../../../utils/card-vault"
import type { AdminCreateCardPoolType, AdminGetCardPoolsParamsType } from "../validators"

export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardPoolsParamsType>, res: MedusaResponse) => {
  const { q, limit, offset } = req.validatedQuery as AdminGetCardPoolsParamsType
  const { pools, count } = await fetchCardPools(req, q ? { name: { $ilike: `%${q}%` } } : {}, { skip: offset, take: limit })
  res.json({ card_pools: pools, count, offset, limit })
}

export const POST = async (req: AuthenticatedMedusaRequest<AdminCreateCardPoolType>, res: MedusaResponse) => {
  const { result } = await createCardPoolWorkflow(req.scope).run({ input: req.validatedBody })
  res.status(200).json({ card_pool: await fetchCardPool(req, result.id) })
}
