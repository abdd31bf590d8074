import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { SummarizedPaymentEvent } from "../utils/event-summary"
import { knexOf, ReconciliationSqlService } from "../utils/sql"

/** The durable inbox of verified webhook events: recorded once per event id, then processed (or retried) from here. */
export default class WebhookInboxService extends ReconciliationSqlService {
  /**
   * Records a verified event unless its id is already recorded (one conditional insert: concurrent deliveries of the
   * same event record it once). `created` false means a duplicate.
   */
  @InjectTransactionManager()
  async recordEvent(
    input: SummarizedPaymentEvent & { provider_id: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; created: boolean }> {
    const knex = knexOf(ctx)
    const id = generateEntityId(undefined, "pwev")
    const { rows } = await knex.raw(
      `INSERT INTO payment_webhook_event
         (id, provider_id, event_id, type, object_id, payment_intent_id, session_id, status, attempts, summary,
          stripe_created_at, received_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'received', 0, ?::jsonb, ?, now(), now(), now())
       ON CONFLICT (event_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [
        id,
        input.provider_id,
        input.event_id,
        input.type,
        input.object_id,
        input.payment_intent_id,
        input.session_id,
        JSON.stringify(input.summary),
        input.stripe_created_at,
      ]
    )
    if (rows.length) return { id: rows[0].id, created: true }
    const [existing] = await knex("payment_webhook_event").select("id").where({ event_id: input.event_id }).whereNull("deleted_at")
    return { id: existing.id, created: false }
  }

  /** Records the outcome of processing an event (one more attempt; an error kept for the admin, cut to 1,000 characters). */
  @InjectTransactionManager()
  async markEvent(
    input: { id: string; status: "processed" | "ignored" | "failed"; error?: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<void> {
    const knex = knexOf(ctx)
    await knex("payment_webhook_event")
      .where({ id: input.id })
      .update({
        status: input.status,
        attempts: knex.raw("attempts + 1"),
        last_error: input.error ? input.error.slice(0, 1000) : null,
        processed_at: input.status === "failed" ? null : knex.fn.now(),
        updated_at: knex.fn.now(),
      })
  }

  /**
   * Events still to process: received (or failed, under `max_attempts`) at least `older_than_seconds` ago — the ones
   * whose processing was lost or failed. Oldest first, by Stripe's creation time, so older events apply first.
   */
  @InjectManager()
  async listEventsToProcess(
    input: { older_than_seconds: number; max_attempts: number; limit: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<string[]> {
    const knex = knexOf(ctx)
    const rows = await knex("payment_webhook_event")
      .select("id")
      .whereNull("deleted_at")
      .where((q) => q.where("status", "received").orWhere((f) => f.where("status", "failed").andWhere("attempts", "<", input.max_attempts)))
      .andWhere("received_at", "<", knex.raw("now() - make_interval(secs => ?)", [input.older_than_seconds]))
      .orderBy("stripe_created_at", "asc")
      .limit(input.limit)
    return rows.map((r: { id: string }) => r.id)
  }

  /**
   * Succeeded payments (their `payment_intent.succeeded` / `amount_capturable_updated` events) received at least
   * `older_than_seconds` ago and not yet settled: reconciliation checks that each ended as an order or a refund.
   */
  @InjectManager()
  async listUnsettledPayments(
    input: { older_than_seconds: number; limit: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; provider_id: string; payment_intent_id: string; session_id: string; received_at: Date }[]> {
    const knex = knexOf(ctx)
    return knex("payment_webhook_event")
      .select("id", "provider_id", "payment_intent_id", "session_id", "received_at")
      .whereIn("type", ["payment_intent.succeeded", "payment_intent.amount_capturable_updated"])
      .whereNull("settled_at")
      .whereNotNull("session_id")
      .whereNull("deleted_at")
      .andWhere("received_at", "<", knex.raw("now() - make_interval(secs => ?)", [input.older_than_seconds]))
      .orderBy("received_at", "asc")
      .limit(input.limit)
  }

  /** Marks every succeeded-payment event of a payment intent settled (it ended as an order or a refund). */
  @InjectTransactionManager()
  async settlePayment(paymentIntentId: string, @MedusaContext() ctx: Context = {}): Promise<number> {
    const knex = knexOf(ctx)
    return knex("payment_webhook_event")
      .where({ payment_intent_id: paymentIntentId })
      .whereNull("settled_at")
      .update({ settled_at: knex.fn.now(), updated_at: knex.fn.now() })
  }

  /** The payment session of a payment intent, from any recorded event that carried it. */
  @InjectManager()
  async sessionOfPaymentIntent(paymentIntentId: string, @MedusaContext() ctx: Context = {}): Promise<string | null> {
    const knex = knexOf(ctx)
    const [row] = await knex("payment_webhook_event")
      .select("session_id")
      .where({ payment_intent_id: paymentIntentId })
      .whereNotNull("session_id")
      .whereNull("deleted_at")
      .limit(1)
    return row?.session_id ?? null
  }
}
