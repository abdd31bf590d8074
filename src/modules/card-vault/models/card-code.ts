import { model } from "@medusajs/framework/utils"
import { CardPool } from "./card-pool"

/**
 * One sealed card code. `ciphertext` is AES-256-GCM over the code (and password), bound to (id, pool_id);
 * `blind_index` is an HMAC of the full code used for duplicate rejection and lookup; `mask` is what lists show.
 */
export const CardCode = model
  .define("card_code", {
    id: model.id({ prefix: "ccode" }).primaryKey(),
    pool: model.belongsTo(() => CardPool, { mappedBy: "codes" }),
    batch_id: model.text(),
    status: model
      .enum(["available", "reserved", "delivered", "revealed", "voided", "expired"])
      .default("available"),
    key_version: model.number(),
    ciphertext: model.text(),
    blind_index: model.text(),
    mask: model.text(),
    has_password: model.boolean().default(false),
    expires_at: model.dateTime().nullable(),
    /** Cost of this code when its import line gave one; otherwise the batch's cost per code applies. */
    cost: model.bigNumber().nullable(),
    /** Cart whose completion reserved the code; kept after delivery so a retried completion is re-entrant. */
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    line_item_id: model.text().nullable(),
    reserved_at: model.dateTime().nullable(),
    delivered_at: model.dateTime().nullable(),
    revealed_at: model.dateTime().nullable(),
    reveal_count: model.number().default(0),
    voided_at: model.dateTime().nullable(),
    void_reason: model.text().nullable(),
    /** Voided because it did not work (void & reissue): counted against its batch for supplier chargeback. */
    invalid: model.boolean().default(false),
    /**
     * A payment dispute's freeze (see services/code-freeze.ts). Kept on the code rather than in a table keyed by order:
     * every reveal changes the code's own row, so the statement that reveals it re-checks `frozen_at` under the row lock
     * the freeze also takes — a reveal and a freeze cannot interleave — and a batch report counts frozen codes without
     * a join. Set on the order's revealed codes (they stay `revealed`, no reveal path opens them) and on the delivered
     * codes the freeze voided; cleared when the dispute is won.
     */
    frozen_at: model.dateTime().nullable(),
    frozen_reason: model.text().nullable(),
    /**
     * The dispute that froze the code (or voided it). Cleared with `frozen_at` on revealed codes; a code the freeze
     * voided keeps it after the dispute is won until a replacement is delivered in its place (reissue), which clears it.
     */
    freeze_reference: model.text().nullable(),
    /** When its buyer was reminded that it expires soon (once; see services/code-reminders.ts). */
    expiry_reminded_at: model.dateTime().nullable(),
    /** A sale of a shared code of a reusable pool (see card-shared-code.ts): this row is one copy of it. */
    shared_code_id: model.text().nullable(),
    /**
     * What a shopper picking a code (自选卡密) sees of it, by the pool's pick rule; null until labelled, and in pools
     * that do not offer picking.
     */
    pick_label: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_card_code_blind_index_unique", on: ["blind_index"], unique: true },
    {
      name: "IDX_card_code_claimable",
      on: ["pool_id", "expires_at", "id"],
      where: "status = 'available' AND deleted_at IS NULL",
    },
    {
      // Oldest import first. Not (pool_id, id): the primary key also yields id order, and a planner that took it
      // would walk every sold code before the first available one.
      name: "IDX_card_code_claimable_fifo",
      on: ["pool_id", "created_at", "id"],
      where: "status = 'available' AND deleted_at IS NULL",
    },
    {
      name: "IDX_card_code_expiring",
      on: ["expires_at"],
      where: "status = 'available' AND expires_at IS NOT NULL",
    },
    { name: "IDX_card_code_cart_id", on: ["cart_id"], where: "cart_id IS NOT NULL" },
    { name: "IDX_card_code_delivered_at", on: ["delivered_at"], where: "delivered_at IS NOT NULL" },
    { name: "IDX_card_code_order_id", on: ["order_id"], where: "order_id IS NOT NULL" },
    { name: "IDX_card_code_pool_status", on: ["pool_id", "status"] },
    { name: "IDX_card_code_batch_id", on: ["batch_id"] },
    { name: "IDX_card_code_shared_code_id", on: ["shared_code_id", "status"], where: "shared_code_id IS NOT NULL" },
    {
      name: "IDX_card_code_pickable",
      on: ["pool_id", "pick_label"],
      where: "status = 'available' AND pick_label IS NOT NULL AND deleted_at IS NULL",
    },
  ])
