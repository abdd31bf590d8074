import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_REJECTED_TEMPLATE } from "../../utils/notification-templates"
import { AGENTS_MODULE } from "../../modules/agents"
import type AgentsModuleService from "../../modules/agents/service"
import { CARD_VAULT_MODULE } from "../../modules/card-vault"
import type CardVaultModuleService from "../../modules/card-vault/service"
import { RISK_MODULE } from "../../modules/risk"
import type { RiskRuleInput } from "../../modules/risk/evaluate"
import type RiskModuleService from "../../modules/risk/service"

const risk = (container: any): RiskModuleService => container.resolve(RISK_MODULE)
const vault = (container: any): CardVaultModuleService => container.resolve(CARD_VAULT_MODULE)

/** Creates a risk rule (checked first). Compensation deletes it. */
export const createRiskRuleStep = createStep(
  "create-risk-rule",
  async (input: Partial<RiskRuleInput>, { container }) => {
    const rule = risk(container).normalizeRule(input)
    const created = await risk(container).createRiskRules(rule as any)
    return new StepResponse({ id: created.id }, created.id)
  },
  async (id, { container }) => {
    if (id) await risk(container).deleteRiskRules([id])
  }
)

/** Changes a risk rule (the result is checked as a whole). Compensation puts the previous version back. */
export const updateRiskRuleStep = createStep(
  "update-risk-rule",
  async (input: Partial<RiskRuleInput> & { id: string }, { container }) => {
    const service = risk(container)
    const before = await service.retrieveRiskRule(input.id)
    const merged = service.normalizeRule({ ...(before as any), threshold: before.threshold === null ? null : Number(before.threshold), ...input })
    const { id: _id, created_at: _c, updated_at: _u, deleted_at: _d, raw_threshold: _r, ...fields } = merged as any
    await service.updateRiskRules({ id: input.id, ...fields })
    const { created_at, updated_at, deleted_at, raw_threshold, ...previous } = before as any
    return new StepResponse({ id: input.id }, { ...previous, threshold: previous.threshold === null ? null : Number(previous.threshold) })
  },
  async (previous, { container }) => {
    if (previous) await risk(container).updateRiskRules(previous)
  }
)

/** Deletes a risk rule (soft). Compensation restores it. */
export const deleteRiskRuleStep = createStep(
  "delete-risk-rule",
  async (input: { id: string }, { container }) => {
    await risk(container).retrieveRiskRule(input.id)
    await risk(container).softDeleteRiskRules([input.id])
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (id) await risk(container).restoreRiskRules([id])
  }
)

/**
 * Records an admin's decision on a held order (pending → approved or rejected, once: a second decision is refused).
 * Compensation reopens it. Returns the order and the checkout's cart.
 */
export const decideRiskReviewStep = createStep(
  "decide-risk-review",
  async (input: { decision_id: string; status: "approved" | "rejected"; user_id: string | null; note?: string | null }, { container }) => {
    const decided = await risk(container).decide(input)
    if (!decided.order_id) {
      await risk(container).reopen(decided.id)
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Risk decision ${input.decision_id} has no order yet: it can be decided once its order is placed`)
    }
    return new StepResponse(
      { decision_id: decided.id, order_id: decided.order_id, cart_id: decided.subject_type === "cart" ? decided.subject_id : null },
      decided.id
    )
  },
  async (id, { container }) => {
    if (id) await risk(container).reopen(id)
  }
)

/** Returns the codes a rejected order's checkout still holds to stock (its order gets none). */
export const releaseRejectedReservationsStep = createStep(
  "release-rejected-reservations",
  async (input: { cart_id: string | null }, { container }) => {
    if (!input.cart_id) return new StepResponse({ released: 0 })
    const { released_code_ids } = await vault(container).releaseReservations({ cart_id: input.cart_id, reason: "order rejected after risk review" })
    return new StepResponse({ released: released_code_ids.length })
  }
)

/** The decision in the audit log, with the admin and the reason. Last step: nothing after it can fail. */
export const auditRiskReviewStep = createStep(
  "audit-risk-review",
  async (input: { order_id: string; cart_id: string | null; decision_id: string; status: "approved" | "rejected"; user_id: string | null; note?: string | null }, { container }) => {
    await vault(container).recordAudit({
      action: input.status === "approved" ? "risk_approve" : "risk_reject",
      actor: { type: "user", id: input.user_id },
      order_id: input.order_id,
      cart_id: input.cart_id,
      reason: input.note ?? null,
      details: { decision_id: input.decision_id },
    })
    return new StepResponse(void 0)
  }
)

/** Tells the customer their order was refused and refunded (once per order). A failure to send is logged only. */
export const sendRejectionNotificationStep = createStep(
  "send-rejection-notification",
  async (input: { order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "email", "display_id", "locale"], filters: { id: input.order_id } })
    const order: any = data[0]
    if (!order?.email) return new StepResponse({ sent: false })
    const notifications = container.resolve(Modules.NOTIFICATION)
    const idempotencyKey = `virtual-goods-rejected:${input.order_id}`
    const [existing] = await notifications.listNotifications({ idempotency_key: idempotencyKey } as any, { take: 1 })
    if (existing) return new StepResponse({ sent: false })
    try {
      await notifications.createNotifications([
        {
          to: order.email,
          channel: "email",
          template: VIRTUAL_GOODS_REJECTED_TEMPLATE,
          idempotency_key: idempotencyKey,
          resource_id: input.order_id,
          resource_type: "order",
          data: { order_id: input.order_id, display_id: order.display_id ?? null, locale: order.locale ?? null },
        },
      ])
    } catch (e: any) {
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`virtual-goods: rejection notice for order ${input.order_id} not sent: ${e?.message ?? e}`)
      return new StepResponse({ sent: false })
    }
    return new StepResponse({ sent: true })
  }
)

/**
 * When an approved order is an agent's wholesale order, queues the `agent_order.delivered` webhook (its codes can now
 * be fetched). Compensation removes it unsent.
 */
export const notifyAgentOfApprovalStep = createStep(
  "notify-agent-of-approval",
  async (input: { decision_id: string; order_id: string }, { container }) => {
    const decision = await risk(container).retrieveRiskDecision(input.decision_id)
    if (decision.subject_type !== "agent_order") return new StepResponse({ queued: false }, null)
    const agents = container.resolve(AGENTS_MODULE) as AgentsModuleService
    const [order] = await agents.listAgentOrders({ id: decision.subject_id })
    if (!order) return new StepResponse({ queued: false }, null)
    const queued = await agents.queueWebhook({
      agent_id: order.agent_id,
      event: "agent_order.delivered",
      payload: { id: order.id, order_id: input.order_id, display_id: order.display_id ?? null },
    })
    return new StepResponse({ queued: !!queued }, queued?.id ?? null)
  },
  async (id, { container }) => {
    if (id) await (container.resolve(AGENTS_MODULE) as AgentsModuleService).discardWebhook(id)
  }
)
