import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminGetCardAuditLogsParamsType } from "../validators"

/** The append-only audit log, newest first, filtered by action, actor, order, pool and time. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardAuditLogsParamsType>, res: MedusaResponse) => {
  const { limit, offset, created_after, created_before, ...rest } = req.validatedQuery as AdminGetCardAuditLogsParamsType
  const filters: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  if (created_after || created_before) {
    filters.created_at = {
      ...(created_after ? { $gte: new Date(created_after).toISOString() } : {}),
      ...(created_before ? { $lt: new Date(created_before).toISOString() } : {}),
    }
  }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_audit_log",
    fields: ["*"],
    filters,
    pagination: { skip: offset, take: limit, order: { created_at: "DESC" } },
  })
  res.json({ card_audit_logs: data, count: metadata?.count ?? data.length, offset, limit })
}
