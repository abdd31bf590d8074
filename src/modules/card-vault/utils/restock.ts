import { CardCodeTransitions, sourcesOf } from "./state-machine"
import type { Knex } from "./sql"

/** Delivered codes the query selects go back to stock, owned by nobody (the `restock` transition). */
export function restock(knex: Knex, query: Knex.QueryBuilder): Promise<{ id: string }[]> {
  return query
    .whereIn("status", sourcesOf("restock"))
    .update({
      status: CardCodeTransitions.restock.to,
      order_id: null,
      line_item_id: null,
      cart_id: null,
      reserved_at: null,
      delivered_at: null,
      updated_at: knex.fn.now(),
    })
    .returning("id")
}
