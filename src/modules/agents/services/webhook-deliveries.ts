import { createHmac, randomBytes } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { DueWebhookDelivery, ResolvedAgentsOptions, WebhookDeliveryResult, WebhookSendPolicy } from "../types"
import { knexOf } from "../utils/sql"
import { signWebhook, webhookBackoffSeconds, webhookUrlProblem } from "../utils/webhooks"

type DeliveryState = { id: string; status: string; attempts: number; next_attempt_at: Date }

/**
 * The agents' webhooks: URLs and derived signing secrets, the queue of deliveries with their retry state and
 * dead-letter list, and the signature of a body. Sending is not done here: a workflow step claims due deliveries,
 * sends them and records each attempt.
 */
export default class WebhookDeliveriesService {
  protected options_: ResolvedAgentsOptions

  constructor({ agentsOptions }: { agentsOptions: ResolvedAgentsOptions }) {
    this.options_ = agentsOptions
  }

  webhookSecret(agentId: string, version: number): string {
    if (!this.options_.webhook_key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Webhooks need a server key: set VIRTUAL_GOODS_WEBHOOK_KEY (base64, 32 bytes)")
    }
    const key = Buffer.from(this.options_.webhook_key, "base64")
    return `whsec_${createHmac("sha256", key).update(`agent-webhook:${agentId}:${version}`).digest("base64url")}`
  }

  signDelivery(input: { agent_id: string; secret_version: number; timestamp: number; body: string }): string {
    return signWebhook(this.webhookSecret(input.agent_id, input.secret_version), input.timestamp, input.body)
  }

  async webhookUrlProblem(url: string): Promise<string | null> {
    return webhookUrlProblem(url, { allowPrivate: this.options_.allow_private_webhook_urls })
  }

  sendPolicy(): WebhookSendPolicy {
    return { allow_private_addresses: this.options_.allow_private_webhook_urls, timeout_ms: this.options_.webhook_timeout_ms }
  }

  async setWebhook(
    input: { agent_id: string; url: string | null; rotate_secret?: boolean },
    ctx: Context
  ): Promise<{ url: string | null; secret: string | null; previous: { url: string | null; version: number } }> {
    const knex = knexOf(ctx)
    const agent = await knex<{ id: string; webhook_url: string | null; webhook_secret_version: number }>("agent")
      .first("id", "webhook_url", "webhook_secret_version")
      .where({ id: input.agent_id })
      .whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    const previous = { url: agent.webhook_url, version: Number(agent.webhook_secret_version) }
    if (input.url === null) {
      await knex("agent").where({ id: input.agent_id }).update({ webhook_url: null, updated_at: knex.fn.now() })
      return { url: null, secret: null, previous }
    }
    const problem = await this.webhookUrlProblem(input.url)
    if (problem) throw new MedusaError(MedusaError.Types.INVALID_DATA, `url is refused: ${problem}`)
    const newSecret = !!input.rotate_secret || !agent.webhook_url
    const version = previous.version + (newSecret ? 1 : 0)
    const secret = newSecret ? this.webhookSecret(input.agent_id, version) : null
    await knex("agent").where({ id: input.agent_id }).update({ webhook_url: input.url, webhook_secret_version: version, updated_at: knex.fn.now() })
    return { url: input.url, secret, previous }
  }

  async restoreWebhook(input: { agent_id: string; url: string | null; version: number }, ctx: Context) {
    const knex = knexOf(ctx)
    await knex("agent").where({ id: input.agent_id }).update({ webhook_url: input.url, webhook_secret_version: input.version, updated_at: knex.fn.now() })
  }

  /**
   * Queues a delivery when the agent has a webhook URL. An order's event (`agent_order.*`, `payload.id` the agent
   * order) also carries the order's `idempotency_key` — the agent's own order number — unless the payload has one.
   */
  async queueWebhook(input: { agent_id: string; event: string; payload: Record<string, unknown> }, ctx: Context): Promise<{ id: string } | null> {
    // The order's Idempotency-Key goes with every event about an order: `agent_order.*` name it as `id`, others (`topup.*`) as `agent_order_id`.
    const named = input.event.startsWith("agent_order.") ? input.payload.id : input.payload.agent_order_id
    const orderId = typeof named === "string" ? named : null
    // The payload's own fields win over the key (jsonb `||` keeps the right side's value of a key in both).
    const { rows } = await knexOf(ctx).raw<{ rows: { id: string }[] }>(
      `INSERT INTO agent_webhook_delivery (id, agent_id, event, payload, status, attempts, next_attempt_at)
       SELECT ?, a.id, ?, jsonb_strip_nulls(jsonb_build_object('idempotency_key', o.idempotency_key)) || ?::jsonb, 'pending', 0, now()
         FROM agent a
         LEFT JOIN agent_order o ON o.id = ? AND o.agent_id = a.id AND o.deleted_at IS NULL
        WHERE a.id = ? AND a.webhook_url IS NOT NULL
       RETURNING id`,
      [`awhd_${randomBytes(12).toString("hex")}`, input.event, JSON.stringify(input.payload), orderId, input.agent_id]
    )
    return rows[0] ?? null
  }

  async discardWebhook(id: string, ctx: Context) {
    await knexOf(ctx)("agent_webhook_delivery").where({ id, attempts: 0 }).delete()
  }

  /**
   * Claims the deliveries that are due (`FOR UPDATE SKIP LOCKED`) and leases them for the time a send may take, so two
   * senders never send one at once; each with its agent's URL and secret version as they are now.
   */
  async claimDueWebhooks(input: { limit?: number; ids?: string[] }, ctx: Context): Promise<DueWebhookDelivery[]> {
    const limit = Number.isInteger(input.limit) && input.limit! > 0 ? input.limit! : 20
    const { rows } = await knexOf(ctx).raw<{ rows: DueWebhookDelivery[] }>(
      `WITH due AS (
         UPDATE agent_webhook_delivery d SET next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
           FROM (SELECT id FROM agent_webhook_delivery
                  WHERE status = 'pending' AND next_attempt_at <= now() AND deleted_at IS NULL ${input.ids ? "AND id = ANY(?)" : ""}
                  ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due
          WHERE d.id = due.id
          RETURNING d.id, d.agent_id, d.event, d.payload, d.attempts, d.created_at, d.next_attempt_at)
       SELECT due.id, due.agent_id, due.event, due.payload, due.attempts, due.created_at,
              a.webhook_url AS url, coalesce(a.webhook_secret_version, 0) AS secret_version
         FROM due LEFT JOIN agent a ON a.id = due.agent_id
        ORDER BY due.next_attempt_at, due.id`,
      [Math.ceil(this.options_.webhook_timeout_ms / 1000) + 60, ...(input.ids ? [input.ids] : []), limit]
    )
    return rows
  }

  /**
   * Records an attempt: a 2xx answer (no error) delivers; anything else stays pending with backoff, or after the last
   * attempt goes to the dead-letter list (`dead`) for an admin to replay.
   */
  async recordWebhookAttempt(
    input: { id: string; attempts: number; last_status: number | null; last_error: string | null },
    ctx: Context
  ): Promise<WebhookDeliveryResult> {
    const knex = knexOf(ctx)
    const status = !input.last_error ? "delivered" : input.attempts >= this.options_.webhook_max_attempts ? "dead" : "pending"
    await knex("agent_webhook_delivery")
      .where({ id: input.id })
      .update({
        status,
        attempts: input.attempts,
        last_status: input.last_status,
        last_error: input.last_error,
        delivered_at: status === "delivered" ? knex.fn.now() : null,
        next_attempt_at: knex.raw("now() + make_interval(secs => ?)", [status === "pending" ? webhookBackoffSeconds(input.attempts) : 0]),
        updated_at: knex.fn.now(),
      })
    return { id: input.id, status, attempts: input.attempts, last_status: input.last_status, last_error: input.last_error }
  }

  async replayWebhook(id: string, ctx: Context): Promise<DeliveryState> {
    const knex = knexOf(ctx)
    const before = await knex<DeliveryState>("agent_webhook_delivery").first("id", "status", "attempts", "next_attempt_at").where({ id }).whereNull("deleted_at")
    if (!before) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Webhook delivery with id: ${id} was not found`)
    if (before.status === "delivered") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Webhook delivery ${id} was delivered already`)
    await knex("agent_webhook_delivery").where({ id }).update({ status: "pending", attempts: 0, next_attempt_at: knex.fn.now(), updated_at: knex.fn.now() })
    return before
  }
}
