import { model } from "@medusajs/framework/utils"
import { CardPool } from "./card-pool"

/**
 * One import from one supplier (or one generation run): cost, expiry, counts and progress; the unit of supplier
 * chargeback. Its codes become sellable only in the transaction that sets `status` to `committed`.
 */
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
    /**
     * importing: being written, nothing visible yet · committed: its codes are in stock · rejected: bad lines in an
     * all-or-nothing import, nothing stored · failed: stopped by an error or a crash, nothing stored.
     */
    status: model.enum(["importing", "committed", "rejected", "failed"]).default("committed"),
    /** all_or_nothing: any bad line rejects the file · skip_invalid: valid lines are imported, bad ones reported. */
    mode: model.enum(["all_or_nothing", "skip_invalid"]).default("all_or_nothing"),
    file_name: model.text().nullable(),
    /** Codes stored (while importing: written so far, not yet visible). */
    code_count: model.number().default(0),
    rejected_count: model.number().default(0),
    lines_read: model.number().default(0),
    /** Lines expected, when known in advance (generation). */
    lines_total: model.number().nullable(),
    bytes_read: model.number().default(0),
    bytes_total: model.number().nullable(),
    /** Generated batches: the format the codes were generated with (never the codes). */
    generator: model.json().nullable(),
    error: model.text().nullable(),
    finished_at: model.dateTime().nullable(),
    created_by: model.text().nullable(),
  })
  .indexes([
    { on: ["pool_id"] },
    {
      name: "IDX_card_batch_file_hash_unique",
      on: ["file_hash"],
      unique: true,
      where: "file_hash IS NOT NULL AND status IN ('importing', 'committed')",
    },
  ])
