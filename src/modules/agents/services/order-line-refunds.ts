import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { AgentOrderItem, LedgerActor } from "../types"
import { knexOf } from "../utils/sql"
import type LedgerService from "./ledger"
import type QuotasService from "./quotas"
import type WebhookDeliveriesService from "./webhook-deliveries"

type RefundableOrderRow = {
  id: string
  agent_id: string
  currency_code: string
  items: AgentOrderItem[] | null
  agent_chain: string[] | null
  quota_consumed: { variant_id: string; quantity: number }[] | null
}

/**
 * Gives back one line of a wholesale order that will not be delivered (a top-up its supplier definitely failed): the
 * line's exact share of the purchase reversed in the ledger, its quota released, the agent's webhook queued — in the
 * caller's transaction, once per supplier order.
 */
export default class OrderLineRefundsService {
  protected ledger_: LedgerService
  protected quotas_: QuotasService
  protected webhooks_: WebhookDeliveriesService

  constructor(deps: { ledgerService: LedgerService; quotasService: QuotasService; webhookDeliveriesService: WebhookDeliveriesService }) {
    this.ledger_ = deps.ledgerService
    this.quotas_ = deps.quotasService
    this.webhooks_ = deps.webhookDeliveriesService
  }

  async refundOrderLine(
    input: { agent_order_id: string; supplier_order_id: string; note: string; actor: LedgerActor; webhook?: Record<string, unknown> },
    ctx: Context
  ): Promise<{ transaction_id: string; amount: string; currency_code: string; already: boolean }> {
    const order: RefundableOrderRow | undefined = await knexOf(ctx)("agent_order")
      .first("id", "agent_id", "currency_code", "items", "agent_chain", "quota_consumed")
      .where({ id: input.agent_order_id, status: "completed" })
      .whereNull("deleted_at")
    if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent order ${input.agent_order_id} was not found`)
    const line = (order.items ?? []).find((i) => i.supplier_order_id === input.supplier_order_id)
    const chain = order.agent_chain ?? []
    if (!line?.unit_prices || !chain.length) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent order ${order.id} has no refundable line for supplier order ${input.supplier_order_id}`)
    }
    const refund = await this.ledger_.refundPurchaseLines(
      {
        chain,
        currency_code: order.currency_code,
        lines: [{ quantity: line.quantity, unit_prices: line.unit_prices }],
        reference_type: "supplier_order",
        reference_id: input.supplier_order_id,
        note: input.note,
        actor: input.actor,
      },
      ctx
    )
    if (!refund.already) {
      const consumed = (order.quota_consumed ?? []).find((q) => q.variant_id === line.variant_id)
      if (consumed) await this.quotas_.releaseQuota({ agent_id: order.agent_id, variant_id: line.variant_id, quantity: Math.min(consumed.quantity, line.quantity) }, ctx)
      if (input.webhook) {
        const payload = {
          ...input.webhook,
          agent_order_id: order.id,
          supplier_order_id: input.supplier_order_id,
          variant_id: line.variant_id,
          quantity: line.quantity,
          amount: refund.amount,
          currency_code: order.currency_code,
        }
        await this.webhooks_.queueWebhook({ agent_id: order.agent_id, event: "topup.refunded", payload }, ctx)
      }
    }
    return { ...refund, currency_code: order.currency_code }
  }
}
