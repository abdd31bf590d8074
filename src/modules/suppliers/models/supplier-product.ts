import { model } from "@medusajs/framework/utils"

/**
 * What we buy from a supplier. `topup`: a variant fulfilled by the supplier (linked to the variant), with the
 * recipient fields the storefront collects and validates. `codes`: a pool restocked from the supplier (linked to the
 * pool) — when its sellable codes fall to `restock_threshold`, `restock_quantity` are bought within the budget and the
 * daily cap; `pass_through` lets a sale with no local stock buy from the supplier at delivery.
 * Price guard: nothing is submitted when the supplier's unit cost exceeds `max_unit_cost` or the sale price.
 */
export const SupplierProduct = model
  .define("supplier_product", {
    id: model.id({ prefix: "supprod" }).primaryKey(),
    supplier_id: model.text(),
    kind: model.enum(["topup", "codes"]),
    upstream_product_id: model.text(),
    name: model.text(),
    /** The supplier's last known unit cost, decimal text. */
    unit_cost: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    max_unit_cost: model.bigNumber().nullable(),
    /** Top-ups: the recipient fields, `[{ key, label, pattern?, min_length?, max_length? }]`. */
    recipient_fields: model.json().default({}),
    restock_threshold: model.number().nullable(),
    restock_quantity: model.number().nullable(),
    /** At most this much spent on restocking per day (UTC), decimal text. */
    restock_daily_budget: model.bigNumber().nullable(),
    /** At most this many codes restocked per day (UTC). */
    restock_daily_cap: model.number().nullable(),
    pass_through: model.boolean().default(false),
    status: model.enum(["active", "disabled"]).default("active"),
    last_error: model.text().nullable(),
  })
  .indexes([{ on: ["supplier_id", "upstream_product_id", "kind"] }])
