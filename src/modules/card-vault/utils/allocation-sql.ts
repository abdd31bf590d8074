import { bulkEntityId } from "./ids"
import { CardCodeTransitions, sourcesOf } from "./state-machine"
import { IN } from "./sql"
import type { AllocationOrder, CardActor } from "../types"

/** SQLSTATE that `card_vault_reserve` raises when a pool cannot cover its quantity (the whole call is rolled back). */
export const OUT_OF_STOCK_SQLSTATE = "CV001"

/**
 * The call of the database function `card_vault_reserve` for a cart, as a named statement (PostgreSQL parses it once
 * per connection; the function caches the plans of its own statements). Parameters: cart, pool ids, quantities, one
 * audit row id per pool, and the actor (type, id, ip, user agent). Returns one row whose `ids` are the codes reserved
 * by this call (none for pools the cart already held in full).
 */
export function reservationCall(
  cartId: string,
  wanted: Map<string, number>,
  actor: CardActor
): { name: string; text: string; values: unknown[] } {
  const pools = [...wanted.keys()]
  return {
    name: "card_vault_reserve",
    text: "SELECT card_vault_reserve($1, $2, $3, $4, $5, $6, $7, $8) AS ids",
    values: [
      cartId,
      pools,
      pools.map((p) => wanted.get(p)),
      pools.map(() => bulkEntityId("caudit")),
      actor.type,
      actor.id ?? null,
      actor.ip ?? null,
      actor.user_agent ? String(actor.user_agent).slice(0, 512) : null,
    ],
  }
}

/**
 * The claim (allocation), the one definition the TypeScript statement and the database function share: a CTE that
 * takes up to `limit` available codes of `pool` in the pool's allocation order, never blocking on rows others hold
 * (`FOR UPDATE SKIP LOCKED`), never an expired code, and moves them to reserved for `cart`. `u` returns the ids.
 * Each ORDER BY matches a partial index on available codes (IDX_card_code_claimable_fifo / IDX_card_code_claimable),
 * so a claim reads only available rows however much of the pool is already sold — a test keeps the plan on those
 * indexes. The statuses come from the state machine (the `reserve` transition).
 */
export function claimCte(order: AllocationOrder, p: { pool: string; limit: string; cart: string }): string {
  const from = sourcesOf("reserve")
  const orderBy = order === "expiry_first" ? "expires_at, id" : "created_at, id"
  return `WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = ${p.pool} AND status IN (${IN(from)}) AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY ${orderBy} LIMIT ${p.limit} FOR UPDATE SKIP LOCKED),
        u AS (
          UPDATE card_code cc SET status = '${CardCodeTransitions.reserve.to}', cart_id = ${p.cart}, reserved_at = now(), updated_at = now()
            FROM c WHERE cc.id = c.id AND cc.status IN (${IN(from)})
          RETURNING cc.id)`
}

/** The claim as one statement (parameters: pool id, limit, cart key), for claims outside a checkout's reservation. */
export function claimStatement(order: AllocationOrder): string {
  return `${claimCte(order, { pool: "?", limit: "?", cart: "?" })}
        SELECT id FROM u`
}
