import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminGetCardAuditLogsParamsType } from "../validators"

export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardAuditLogsParamsType>, res: MedusaResponse) => {
  const { limit, offset, ...rest } = req.validatedQuery as AdminGetCardAuditLogsParamsType
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data, metadata } = await query.graph({
    entity: "card_audit_log",
    fields: ["*"],
    filters: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    pagination: { skip: offset, take: limit, order: { created_at: "DESC" } },
  })
  res.json({ card_audit_logs: data, count: metadata?.count ?? data.length, offset, limit })
}
