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
    /**
     * exclusive: each code is sold once · reusable: each code is shared, sold to several orders up to its own limit
     * (see card-shared-code.ts). Set when the pool is created.
     */
    kind: model.enum(["exclusive", "reusable"]).default("exclusive"),
    /**
     * Buyer's choice (自选卡密): a shopper may pick an available code for this premium on the variant's price, in basis
     * points (2000 = +20 %); null: picking is off.
     */
    pick_premium_bp: model.number().nullable(),
    /** What a pick shows of each code: its first and last characters, the rest masked (see utils/pick-label.ts). */
    pick_show_first: model.number().default(0),
    pick_show_last: model.number().default(0),
    batches: model.hasMany(() => CardBatch, { mappedBy: "pool" }),
    codes: model.hasMany(() => CardCode, { mappedBy: "pool" }),
    alerts: model.hasMany(() => CardAlert, { mappedBy: "pool" }),
  })
  .cascades({ delete: ["batches", "alerts"] })
