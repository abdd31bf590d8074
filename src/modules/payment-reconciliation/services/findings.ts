import type { BigNumberInput, Context } from "@medusajs/framework/types"
import { generateEntityId, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { knexOf, ReconciliationSqlService } from "../utils/sql"

export type PaymentFindingKind =
  | "captured_without_order"
  | "refunded_automatically"
  | "refunded_in_stripe"
  | "dispute"
  | "capture_failed"
  | "payment_failed"
  | "stuck_pending"

export type RecordFindingInput = {
  kind: PaymentFindingKind
  /** What makes two findings the same (default: kind, payment intent and dispute). */
  key?: string
  status?: "open" | "resolved"
  provider_id?: string | null
  payment_intent_id?: string | null
  dispute_id?: string | null
  dispute_status?: string | null
  cart_id?: string | null
  order_id?: string | null
  payment_id?: string | null
  /** In the currency's main unit, exact (a decimal string or a BigNumber), never a float. */
  amount?: BigNumberInput | null
  currency_code?: string | null
  detail: string
  resolution?: string | null
}

/** The reconciliation's findings: one row per thing found, updated when found again, resolved by the job or an admin. */
export default class FindingsService extends ReconciliationSqlService {
  /** The finding's key: kind, payment intent (or cart) and dispute. */
  static keyOf(input: RecordFindingInput): string {
    return input.key ?? [input.kind, input.payment_intent_id ?? input.cart_id ?? input.order_id ?? "", input.dispute_id ?? ""].join(":")
  }

  /**
   * Records a finding, or updates the one with the same key (detail, status, dispute status, order, resolution) in one
   * statement. `created` says whether it is new.
   */
  @InjectTransactionManager()
  async recordFinding(input: RecordFindingInput, @MedusaContext() ctx: Context = {}): Promise<{ id: string; created: boolean }> {
    const knex = knexOf(ctx)
    const status = input.status ?? "open"
    const amount = input.amount == null ? null : String(typeof input.amount === "object" && "toString" in input.amount ? input.amount.toString() : input.amount)
    const { rows } = await knex.raw(
      `INSERT INTO payment_finding
         (id, key, kind, status, provider_id, payment_intent_id, dispute_id, dispute_status, cart_id, order_id, payment_id,
          amount, raw_amount, currency_code, detail, resolution, resolved_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::numeric, ?::jsonb, ?, ?, ?, ${status === "resolved" ? "now()" : "NULL"}, now(), now())
       ON CONFLICT (key) WHERE deleted_at IS NULL DO UPDATE SET
         status = EXCLUDED.status,
         detail = EXCLUDED.detail,
         dispute_status = COALESCE(EXCLUDED.dispute_status, payment_finding.dispute_status),
         order_id = COALESCE(EXCLUDED.order_id, payment_finding.order_id),
         payment_id = COALESCE(EXCLUDED.payment_id, payment_finding.payment_id),
         resolution = COALESCE(EXCLUDED.resolution, payment_finding.resolution),
         resolved_at = CASE WHEN EXCLUDED.status = 'resolved' THEN COALESCE(payment_finding.resolved_at, now()) ELSE NULL END,
         updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        generateEntityId(undefined, "pfnd"),
        FindingsService.keyOf(input),
        input.kind,
        status,
        input.provider_id ?? null,
        input.payment_intent_id ?? null,
        input.dispute_id ?? null,
        input.dispute_status ?? null,
        input.cart_id ?? null,
        input.order_id ?? null,
        input.payment_id ?? null,
        amount,
        amount === null ? null : JSON.stringify({ value: amount, precision: 20 }),
        input.currency_code ?? null,
        input.detail.slice(0, 2000),
        input.resolution ?? null,
      ]
    )
    return { id: rows[0].id, created: rows[0].created }
  }

  /** An admin resolves an open finding with a note (who and why are kept). */
  @InjectTransactionManager()
  async resolveFinding(input: { id: string; note: string; resolved_by: string | null }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const note = input.note?.trim()
    if (!note) throw new MedusaError(MedusaError.Types.INVALID_DATA, "note: say how the finding was resolved")
    const knex = knexOf(ctx)
    const updated = await knex("payment_finding")
      .where({ id: input.id })
      .whereNull("deleted_at")
      .update({ status: "resolved", resolution: note.slice(0, 2000), resolved_by: input.resolved_by, resolved_at: knex.fn.now(), updated_at: knex.fn.now() })
    if (!updated) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment finding ${input.id} was not found`)
  }
}
