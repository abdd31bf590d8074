import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Payment reconciliation: the verified webhook inbox (unique per event id), the findings (unique per key) and the
 * holds on carts paid asynchronously (one per cart).
 */
export class Migration20261201120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "payment_webhook_event" ("id" text not null, "provider_id" text not null, "event_id" text not null, "type" text not null, "object_id" text not null, "payment_intent_id" text null, "session_id" text null, "status" text check ("status" in ('received', 'processed', 'ignored', 'failed')) not null default 'received', "attempts" integer not null default 0, "last_error" text null, "summary" jsonb null, "stripe_created_at" timestamptz not null, "received_at" timestamptz not null, "processed_at" timestamptz null, "settled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_webhook_event_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_deleted_at" ON "payment_webhook_event" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_webhook_event_event_id_unique" ON "payment_webhook_event" ("event_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_status_received_at" ON "payment_webhook_event" ("status", "received_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_payment_intent_id" ON "payment_webhook_event" ("payment_intent_id") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "payment_finding" ("id" text not null, "key" text not null, "kind" text check ("kind" in ('captured_without_order', 'refunded_automatically', 'refunded_in_stripe', 'dispute', 'capture_failed', 'payment_failed', 'stuck_pending')) not null, "status" text check ("status" in ('open', 'resolved')) not null default 'open', "provider_id" text null, "payment_intent_id" text null, "dispute_id" text null, "dispute_status" text null, "cart_id" text null, "order_id" text null, "payment_id" text null, "amount" numeric null, "raw_amount" jsonb null, "currency_code" text null, "detail" text not null, "resolution" text null, "resolved_by" text null, "resolved_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_finding_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_finding_deleted_at" ON "payment_finding" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_finding_key_unique" ON "payment_finding" ("key") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_finding_status_kind_created_at" ON "payment_finding" ("status", "kind", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_finding_order_id" ON "payment_finding" ("order_id") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "payment_hold" ("id" text not null, "cart_id" text not null, "payment_session_id" text null, "provider_id" text null, "status" text check ("status" in ('active', 'completed', 'released')) not null default 'active', "expires_at" timestamptz not null, "closed_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_hold_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_hold_deleted_at" ON "payment_hold" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_hold_cart_id_unique" ON "payment_hold" ("cart_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_hold_status_expires_at" ON "payment_hold" ("status", "expires_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_webhook_event" cascade;`)
    this.addSql(`drop table if exists "payment_finding" cascade;`)
    this.addSql(`drop table if exists "payment_hold" cascade;`)
  }
}
