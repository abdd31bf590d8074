import { model } from "@medusajs/framework/utils"
import { CardBatch } from "./card-batch"
import { CardCode } from "./card-code"
import { CardAlert } from "./card-alert"

/** The codes of one sellable variant. Linked to the product variant through a module link. */
export const CardPool = model
  .define("card_pool", {
    id: model.id({ prefix: "cpool" }).primaryKey(),
    name: model.text().searchable(),
    description: model.text().nullable(),
    /** Stock location whose inventory level mirrors this pool's stock. */
    stock_location_id: model.text().nullable(),
    /** Which available code a sale takes: the oldest import first, or the one that expires soonest. */
    allocation_order: model.enum(["fifo", "expiry_first"]).default("fifo"),
    /** An alert is raised when available codes fall to this number or below (no alert when null). */
    low_stock_threshold: model.number().nullable(),
    /** An alert is raised when available codes expire within this many days (no alert when null). */
    expiry_warning_days: model.number().nullable(),
    batches: model.hasMany(() => CardBatch, { mappedBy: "pool" }),
    codes: model.hasMany(() => CardCode, { mappedBy: "pool" }),
    alerts: model.hasMany(() => CardAlert, { mappedBy: "pool" }),
  })
  .cascades({ delete: ["batches", "alerts"] })
