import { MedusaError } from "@medusajs/framework/utils"
import type { Knex } from "./sql"

/** What every reveal path answers while an order's payment is disputed. */
export const FROZEN_CODES_MESSAGE = "These codes are frozen while a payment dispute is open."

/** The refusal of a reveal (or a reissue) of an order whose codes are frozen: NOT_ALLOWED, no code named. */
export function frozenCodesError(): MedusaError {
  return new MedusaError(MedusaError.Types.NOT_ALLOWED, FROZEN_CODES_MESSAGE)
}

/**
 * Whether any code of the given orders (or of the codes' orders, or of a cart's codes) is frozen by a payment dispute.
 * Read in the caller's transaction, after its own status change: a freeze that committed in between is seen here.
 */
export async function hasFrozenCodes(
  knex: Knex,
  scope: { order_ids?: readonly string[]; code_ids?: readonly string[]; cart_id?: string | null }
): Promise<boolean> {
  const orders = (scope.order_ids ?? []).filter(Boolean)
  const codes = (scope.code_ids ?? []).filter(Boolean)
  if (!orders.length && !codes.length && !scope.cart_id) return false
  const row = await knex("card_code")
    .first("id")
    .whereNotNull("frozen_at")
    .whereNull("deleted_at")
    .where((q) => {
      if (orders.length) q.orWhereIn("order_id", orders)
      if (codes.length) q.orWhereIn("order_id", knex("card_code").select("order_id").whereIn("id", codes).whereNotNull("order_id"))
      if (scope.cart_id) q.orWhere("cart_id", scope.cart_id)
    })
  return !!row
}

/** Throws the frozen refusal when `hasFrozenCodes` holds for the scope. */
export async function assertNotFrozen(
  knex: Knex,
  scope: { order_ids?: readonly string[]; code_ids?: readonly string[]; cart_id?: string | null }
): Promise<void> {
  if (await hasFrozenCodes(knex, scope)) throw frozenCodesError()
}
