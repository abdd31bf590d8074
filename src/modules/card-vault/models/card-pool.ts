import { model } from "@medusajs/framework/utils"
import { CardBatch } from "./card-batch"
import { CardCode } from "./card-code"

/** The codes of one sellable variant. Linked to the product variant through a module link. */
export const CardPool = model
  .define("card_pool", {
    id: model.id({ prefix: "cpool" }).primaryKey(),
    name: model.text().searchable(),
    description: model.text().nullable(),
    /** Stock location whose inventory level mirrors this pool's stock. */
    stock_location_id: model.text().nullable(),
    batches: model.hasMany(() => CardBatch, { mappedBy: "pool" }),
    codes: model.hasMany(() => CardCode, { mappedBy: "pool" }),
  })
  .cascades({ delete: ["batches"] })
