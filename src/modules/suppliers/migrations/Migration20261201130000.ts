import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Suppliers: suppliers (sealed credentials), the products bought from them, supplier orders (one per top-up line,
 * restock or pass-through purchase) with their events, sealed recipients and reconciliation findings.
 */
export class Migration20261201130000 extends Migration {
  override async up(): Promise<void> {
    const base = `"created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null`
    this.addSql(`create table if not exists "supplier" ("id" text not null, "name" text not null, "adapter" text check ("adapter" in ('medusa_store', 'dujiao_next', 'generic_http')) not null, "base_url" text not null, "config" jsonb not null default '{}', "credentials_ciphertext" text null, "credentials_key_version" integer null, "credential_fields" jsonb not null default '{}', "status" text check ("status" in ('active', 'disabled')) not null default 'active', "timeout_ms" integer not null default 10000, "rate_limit_per_minute" integer not null default 120, "max_attempts" integer not null default 5, "poll_interval_seconds" integer not null default 30, "low_balance_threshold" numeric null, "raw_low_balance_threshold" jsonb null, "health" text check ("health" in ('unknown', 'ok', 'failing')) not null default 'unknown', "last_error" text null, "last_checked_at" timestamptz null, "balance" numeric null, "raw_balance" jsonb null, "balance_currency_code" text null, "balance_checked_at" timestamptz null, ${base}, constraint "supplier_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_deleted_at" ON "supplier" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_supplier_name_unique" ON "supplier" ("name") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "supplier_product" ("id" text not null, "supplier_id" text not null, "kind" text check ("kind" in ('topup', 'codes')) not null, "upstream_product_id" text not null, "name" text not null, "unit_cost" numeric null, "raw_unit_cost" jsonb null, "currency_code" text null, "max_unit_cost" numeric null, "raw_max_unit_cost" jsonb null, "recipient_fields" jsonb not null default '{}', "restock_threshold" integer null, "restock_quantity" integer null, "restock_daily_budget" numeric null, "raw_restock_daily_budget" jsonb null, "restock_daily_cap" integer null, "pass_through" boolean not null default false, "status" text check ("status" in ('active', 'disabled')) not null default 'active', "last_error" text null, ${base}, constraint "supplier_product_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_product_deleted_at" ON "supplier_product" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_product_supplier_id_upstream_product_id_kind" ON "supplier_product" ("supplier_id", "upstream_product_id", "kind") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "supplier_order" ("id" text not null, "supplier_id" text not null, "supplier_product_id" text not null, "kind" text check ("kind" in ('topup', 'restock', 'pass_through')) not null, "status" text check ("status" in ('pending', 'submitting', 'accepted', 'succeeded', 'failed', 'unknown')) not null default 'pending', "order_id" text null, "line_item_id" text null, "agent_order_id" text null, "pool_id" text null, "batch_id" text null, "recipient_id" text null, "recipient_masked" text null, "upstream_product_id" text not null, "quantity" integer not null check ("quantity" > 0), "amount" numeric null, "raw_amount" jsonb null, "currency_code" text null, "max_unit_cost" numeric null, "raw_max_unit_cost" jsonb null, "cost" numeric null, "raw_cost" jsonb null, "upstream_order_no" text null, "attempts" integer not null default 0, "lease_until" timestamptz null, "next_check_at" timestamptz null, "submitted_at" timestamptz null, "settled_at" timestamptz null, "last_error" text null, "failure_reason" text null, "refund_status" text check ("refund_status" in ('none', 'refunding', 'refunded')) not null default 'none', "refunded_at" timestamptz null, "resolution" text null, "resolved_by" text null, ${base}, constraint "supplier_order_pkey" primary key ("id"), constraint "supplier_order_refund_only_failed" check ("refund_status" = 'none' or "status" = 'failed'));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_deleted_at" ON "supplier_order" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_supplier_order_kind_line_item_id_unique" ON "supplier_order" ("kind", "line_item_id") WHERE line_item_id IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_status_next_check_at" ON "supplier_order" ("status", "next_check_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_order_id" ON "supplier_order" ("order_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_supplier_id_created_at" ON "supplier_order" ("supplier_id", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_pool_id_created_at" ON "supplier_order" ("pool_id", "created_at") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "supplier_order_event" ("id" text not null, "supplier_order_id" text not null, "kind" text check ("kind" in ('submit', 'query', 'callback', 'cancel', 'admin', 'refund', 'price_guard', 'late_callback')) not null, "outcome" text not null, "from_status" text null, "to_status" text null, "http_status" integer null, "reason" text null, "answer" jsonb null, "actor" text null, ${base}, constraint "supplier_order_event_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_event_deleted_at" ON "supplier_order_event" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_order_event_supplier_order_id_created_at" ON "supplier_order_event" ("supplier_order_id", "created_at") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "supplier_recipient" ("id" text not null, "supplier_product_id" text not null, "variant_id" text null, "cart_id" text null, "agent_id" text null, "ciphertext" text not null, "key_version" integer not null, "masked" text not null, ${base}, constraint "supplier_recipient_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_recipient_deleted_at" ON "supplier_recipient" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_recipient_cart_id" ON "supplier_recipient" ("cart_id") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "supplier_finding" ("id" text not null, "key" text not null, "supplier_id" text not null, "supplier_order_id" text null, "kind" text check ("kind" in ('missing_upstream', 'missing_local', 'state_mismatch', 'cost_mismatch', 'low_balance', 'price_over_limit', 'late_callback', 'unknown_outcome', 'restock_failed')) not null, "status" text check ("status" in ('open', 'resolved')) not null default 'open', "detail" text not null, "resolution" text null, "resolved_by" text null, "resolved_at" timestamptz null, ${base}, constraint "supplier_finding_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_finding_deleted_at" ON "supplier_finding" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_supplier_finding_key_unique" ON "supplier_finding" ("key") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_supplier_finding_status_kind_created_at" ON "supplier_finding" ("status", "kind", "created_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    for (const table of ["supplier_finding", "supplier_recipient", "supplier_order_event", "supplier_order", "supplier_product", "supplier"]) {
      this.addSql(`drop table if exists "${table}" cascade;`)
    }
  }
}
