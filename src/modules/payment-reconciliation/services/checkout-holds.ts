import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import { knexOf, ReconciliationSqlService } from "../utils/sql"

/** An active hold; `held_at` is when it was placed or last renewed. */
export type HeldCart = { cart_id: string; payment_session_id: string | null; provider_id: string | null; expires_at: Date; held_at: Date }

/** Holds on carts whose shoppers pay asynchronously: the vault's sweep spares their reservations until they expire. */
export default class CheckoutHoldsService extends ReconciliationSqlService {
  /** Holds a cart for `seconds` from now (a second call renews it). */
  @InjectTransactionManager()
  async holdCart(
    input: { cart_id: string; payment_session_id: string | null; provider_id: string | null; seconds: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ cart_id: string; expires_at: Date }> {
    const knex = knexOf(ctx)
    const { rows } = await knex.raw(
      `INSERT INTO payment_hold (id, cart_id, payment_session_id, provider_id, status, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'active', now() + make_interval(secs => ?), now(), now())
       ON CONFLICT (cart_id) WHERE deleted_at IS NULL DO UPDATE SET
         payment_session_id = EXCLUDED.payment_session_id, provider_id = EXCLUDED.provider_id,
         status = 'active', expires_at = EXCLUDED.expires_at, closed_reason = NULL, updated_at = now()
       RETURNING cart_id, expires_at`,
      [generateEntityId(undefined, "phld"), input.cart_id, input.payment_session_id, input.provider_id, input.seconds]
    )
    return { cart_id: rows[0].cart_id, expires_at: new Date(rows[0].expires_at) }
  }

  /** Closes a cart's active hold: its order was placed (`completed`) or its codes went back to stock (`released`). */
  @InjectTransactionManager()
  async closeHold(
    input: { cart_id: string; status: "completed" | "released"; reason: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<boolean> {
    const knex = knexOf(ctx)
    const n = await knex("payment_hold")
      .where({ cart_id: input.cart_id, status: "active" })
      .whereNull("deleted_at")
      .update({ status: input.status, closed_reason: input.reason.slice(0, 500), updated_at: knex.fn.now() })
    return n > 0
  }

  /** Of the given carts, those with an active hold that has not expired. */
  @InjectManager()
  async heldCartIds(cartIds: string[], @MedusaContext() ctx: Context = {}): Promise<string[]> {
    if (!cartIds.length) return []
    const knex = knexOf(ctx)
    const rows = await knex("payment_hold")
      .select("cart_id")
      .whereIn("cart_id", cartIds)
      .where("status", "active")
      .where("expires_at", ">", knex.fn.now())
      .whereNull("deleted_at")
    return rows.map((r: { cart_id: string }) => r.cart_id)
  }

  /** Active holds, oldest first: those past `expires_at` when `expired`, else those held at least `older_than_seconds`. */
  @InjectManager()
  async listActiveHolds(
    input: { expired?: boolean; older_than_seconds?: number; limit: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<HeldCart[]> {
    const knex = knexOf(ctx)
    const q = knex("payment_hold")
      .select("cart_id", "payment_session_id", "provider_id", "expires_at", "updated_at as held_at")
      .where("status", "active")
      .whereNull("deleted_at")
      .orderBy("updated_at", "asc")
      .limit(input.limit)
    if (input.expired) q.where("expires_at", "<=", knex.fn.now())
    if (input.older_than_seconds !== undefined) q.where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [input.older_than_seconds]))
    const rows: HeldCart[] = await q
    return rows.map((r) => ({ ...r, expires_at: new Date(r.expires_at), held_at: new Date(r.held_at) }))
  }
}
