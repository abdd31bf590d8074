import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { fetchAgent } from "../../../../../agent-utils"

/** The agent's ledger entries, newest first: kind, signed amount, currency, reference, note and who posted it. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  const { limit = 50, offset = 0 } = req.validatedQuery as { limit?: number; offset?: number }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "agent_ledger_entry",
    fields: ["id", "transaction_id", "kind", "amount", "currency_code", "reference_type", "reference_id", "note", "actor_type", "actor_id", "created_at"],
    filters: { agent_id: req.params.id },
    pagination: { skip: offset, take: limit, order: { created_at: "DESC", id: "DESC" } } as any,
  })
  res.json({ entries: data, count: metadata?.count ?? data.length, offset, limit })
}
