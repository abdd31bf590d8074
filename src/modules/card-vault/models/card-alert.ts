import { model } from "@medusajs/framework/utils"
import { CardPool } from "./card-pool"

/**
 * A stock condition of a pool that admins should act on: `low_stock` (available codes at or below the pool's
 * threshold) or `near_expiry` (available codes expiring within the pool's warning window). At most one active alert
 * per pool and kind (a unique index): it is raised once, and cleared when the condition no longer holds.
 */
export const CardAlert = model
  .define("card_alert", {
    id: model.id({ prefix: "calert" }).primaryKey(),
    pool: model.belongsTo(() => CardPool, { mappedBy: "alerts" }),
    kind: model.enum(["low_stock", "near_expiry"]),
    status: model.enum(["active", "cleared"]).default("active"),
    details: model.json().nullable(),
    cleared_at: model.dateTime().nullable(),
  })
  .indexes([
    {
      name: "IDX_card_alert_active_unique",
      on: ["pool_id", "kind"],
      unique: true,
      where: "status = 'active'",
    },
  ])
