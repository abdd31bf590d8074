import { model } from "@medusajs/framework/utils"

/**
 * A wholesale order request of an agent, keyed by the agent's `Idempotency-Key`: the first request inserts the row
 * (`processing`), a concurrent duplicate finds it and is refused, a completed one is replayed from it. It records what
 * was bought at which unit price, the agent chain above the buyer (so every code sold through it can be traced to who
 * bought it), the ledger transaction and the Medusa order (module link). Never a code: codes are read from the vault.
 * While processing, each step records its progress here (plan, quota consumed, ledger transaction, Medusa order), so
 * that a request cut off by a crash can be finished or undone by the recovery job.
 */
export const AgentOrder = model
  .define("agent_order", {
    id: model.id({ prefix: "aord" }).primaryKey(),
    agent_id: model.text(),
    idempotency_key: model.text(),
    /** SHA-256 of the request body in canonical form: the same key with another body is refused. */
    request_hash: model.text(),
    status: model.enum(["processing", "completed"]).default("processing"),
    order_id: model.text().nullable(),
    display_id: model.number().nullable(),
    currency_code: model.text().nullable(),
    /** What the buyer paid (numeric, exact; the module returns it as a decimal string). */
    total: model.bigNumber().nullable(),
    /** [{ variant_id, pool_id, quantity, unit_price, title }] */
    items: model.json().nullable(),
    /** Agent ids from the buyer up to the top of its chain. */
    agent_chain: model.json().nullable(),
    transaction_id: model.text().nullable(),
    /** Quota consumed so far ([{ variant_id, quantity }]): what a recovery gives back if the request never finished. */
    quota_consumed: model.json().nullable(),
    completed_at: model.dateTime().nullable(),
    /**
     * The outbox of the order's bookkeeping: `pending` from the answer until the worker has recorded the Medusa order
     * (paid, fulfilled, linked), then `done`.
     */
    bookkeeping_status: model.enum(["pending", "done"]).nullable(),
    bookkeeping_attempts: model.number().default(0),
    bookkeeping_error: model.text().nullable(),
    bookkept_at: model.dateTime().nullable(),
  })
  .indexes([
    { name: "IDX_agent_order_idempotency_unique", on: ["agent_id", "idempotency_key"], unique: true },
    { on: ["agent_id", "created_at"] },
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { name: "IDX_agent_order_bookkeeping_pending", on: ["created_at", "id"], where: "bookkeeping_status = 'pending'" },
  ])
