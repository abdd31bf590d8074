import { model } from "@medusajs/framework/utils"

/**
 * A campaign (营销) that gives a code of a pool to every customer an event names — registration ("拉新送7天会员") or a
 * placed order — once per customer, while `issued` stays under `budget` and the window is open. `issued` is kept by
 * one conditional UPDATE per grant, so the budget holds under any concurrency.
 */
export const CodeCampaign = model
  .define("code_campaign", {
    id: model.id({ prefix: "ccamp" }).primaryKey(),
    name: model.text().searchable(),
    pool_id: model.text(),
    trigger: model.enum(["customer.created", "order.placed"]),
    status: model.enum(["active", "paused"]).default("active"),
    budget: model.number(),
    issued: model.number().default(0),
    starts_at: model.dateTime().nullable(),
    ends_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["trigger", "status"] }])
