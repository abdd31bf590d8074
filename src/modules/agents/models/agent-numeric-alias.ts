import { model } from "@medusajs/framework/utils"

/**
 * A number standing for one of our ids on the dujiao-next compatible routes: that protocol's clients read product,
 * SKU, category and order ids as unsigned integers, ours are text (`prod_…`, `variant_…`, `aord_…`). Given once per
 * (kind, id) on first use and never changed, so a docked shop's stored ids keep working; the routes accept either.
 */
export const AgentNumericAlias = model
  .define("agent_numeric_alias", {
    id: model.id({ prefix: "anum" }).primaryKey(),
    kind: model.enum(["product", "variant", "category", "order"]),
    target_id: model.text(),
    number: model.autoincrement(),
  })
  .indexes([
    { name: "IDX_agent_numeric_alias_kind_target_unique", on: ["kind", "target_id"], unique: true, where: "deleted_at IS NULL" },
    { name: "IDX_agent_numeric_alias_number_unique", on: ["number"], unique: true },
  ])
