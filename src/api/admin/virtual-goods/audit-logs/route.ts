import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { queryListPage } from "../../../utils/card-vault"
import type { AdminGetCardAuditLogsParamsType } from "../validators"

/** The append-only audit log, newest first, filtered by action, actor, order, pool and time. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetCardAuditLogsParamsType>, res: MedusaResponse) => {
  const { limit, offset, created_after, created_before, ...filters } = req.validatedQuery as AdminGetCardAuditLogsParamsType
  const created_at =
    created_after || created_before
      ? {
          ...(created_after ? { $gte: new Date(created_after).toISOString() } : {}),
          ...(created_before ? { $lt: new Date(created_before).toISOString() } : {}),
        }
      : undefined
  const { rows, ...page } = await queryListPage(req, {
    entity: "card_audit_log",
    fields: ["*"],
    filters: { ...filters, created_at },
    order: { created_at: "DESC" },
    limit,
    offset,
  })
  res.json({ card_audit_logs: rows, ...page })
}
