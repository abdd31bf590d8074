import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AGENTS_MODULE } from "../../../../modules/agents"
import type AgentsModuleService from "../../../../modules/agents/service"
import type { AdminGetWebhookDeliveriesParamsType } from "../validators"

/** Agents' webhook deliveries, newest first, by agent and status (`dead` is the dead-letter list). */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const { agent_id, status, limit, offset } = req.validatedQuery as AdminGetWebhookDeliveriesParamsType
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  const [deliveries, count] = await agents.listAndCountAgentWebhookDeliveries(
    { ...(agent_id ? { agent_id } : {}), ...(status ? { status } : {}) },
    { take: limit, skip: offset, order: { created_at: "DESC", id: "DESC" } }
  )
  res.json({
    deliveries: deliveries.map((d) => ({
      id: d.id,
      agent_id: d.agent_id,
      event: d.event,
      payload: d.payload,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.status === "pending" ? d.next_attempt_at : null,
      last_status: d.last_status,
      last_error: d.last_error,
      delivered_at: d.delivered_at,
      created_at: d.created_at,
    })),
    count,
    limit,
    offset,
  })
}
