import { model } from "@medusajs/framework/utils"
import { CardPool } from "./card-pool"

/** One import from one supplier: cost, expiry and counts, the unit of supplier chargeback. */
export const CardBatch = model
  .define("card_batch", {
    id: model.id({ prefix: "cbatch" }).primaryKey(),
    pool: model.belongsTo(() => CardPool, { mappedBy: "batches" }),
    supplier: model.text().nullable(),
    cost_per_code: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    expires_at: model.dateTime().nullable(),
    file_hash: model.text().nullable(),
    source: model.enum(["import", "generated"]).default("import"),
    status: model.enum(["importing", "committed", "failed"]).default("committed"),
    code_count: model.number().default(0),
    rejected_count: model.number().default(0),
    created_by: model.text().nullable(),
  })
  .indexes([{ on: ["pool_id"] }])
