import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Redemption (核销) of the merchant's own vouchers: programs per pool, a balance per redeemed code, and the ledger. The
 * database holds the invariants: a balance is never negative (CHECK), a request key is used once per channel and actor,
 * a redemption is rolled back at most once (unique indexes).
 */
export class Migration20261202090000 extends Migration {
  override async up(): Promise<void> {
    const base = `"created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null`
    const kinds = `check ("kind" in ('single_use', 'multi_use', 'stored_value'))`
    this.addSql(`create table if not exists "voucher_program" ("id" text not null, "pool_id" text not null, "kind" text ${kinds} not null, "uses" integer null check ("uses" is null or "uses" > 0), "face_value" numeric null check ("face_value" is null or "face_value" > 0), "raw_face_value" jsonb null, "currency_code" text null, "rollback_window_seconds" integer not null default 900 check ("rollback_window_seconds" >= 0), "status" text check ("status" in ('active', 'disabled')) not null default 'active', ${base}, constraint "voucher_program_pkey" primary key ("id"), constraint "voucher_program_kind_settings" check (("kind" = 'stored_value') = ("face_value" is not null) and ("kind" = 'multi_use') = ("uses" is not null)));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_voucher_program_pool_id_unique" ON "voucher_program" ("pool_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_program_deleted_at" ON "voucher_program" ("deleted_at") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "voucher" ("id" text not null, "code_id" text not null, "pool_id" text not null, "program_id" text not null, "kind" text ${kinds} not null, "remaining_uses" integer null check ("remaining_uses" is null or "remaining_uses" >= 0), "remaining_value" numeric null check ("remaining_value" is null or "remaining_value" >= 0), "raw_remaining_value" jsonb null, "redeemed_count" integer not null default 0 check ("redeemed_count" >= 0), "first_redeemed_at" timestamptz null, "last_redeemed_at" timestamptz null, ${base}, constraint "voucher_pkey" primary key ("id"));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_voucher_code_id_unique" ON "voucher" ("code_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_pool_id" ON "voucher" ("pool_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_deleted_at" ON "voucher" ("deleted_at") WHERE deleted_at IS NULL;`)

    this.addSql(`create table if not exists "voucher_redemption" ("id" text not null, "voucher_id" text not null, "code_id" text not null, "pool_id" text not null, "kind" text check ("kind" in ('redeem', 'rollback')) not null, "uses" integer not null default 0, "amount" numeric null check ("amount" is null or "amount" > 0), "raw_amount" jsonb null, "remaining_uses_after" integer null, "remaining_value_after" numeric null, "raw_remaining_value_after" jsonb null, "channel" text check ("channel" in ('counter', 'partner')) not null, "actor_type" text not null, "actor_id" text null, "idempotency_key" text null, "request_hash" text null, "reason" text null, "reverses_id" text null, "rolled_back_at" timestamptz null, ${base}, constraint "voucher_redemption_pkey" primary key ("id"), constraint "voucher_redemption_rollback_has_reason" check ("kind" = 'redeem' or ("reverses_id" is not null and "reason" is not null)));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_voucher_redemption_idempotency_unique" ON "voucher_redemption" ("channel", "actor_id", "idempotency_key") WHERE idempotency_key IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_voucher_redemption_reverses_id_unique" ON "voucher_redemption" ("reverses_id") WHERE reverses_id IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_redemption_code_id_created_at" ON "voucher_redemption" ("code_id", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_redemption_pool_id_created_at" ON "voucher_redemption" ("pool_id", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_voucher_redemption_deleted_at" ON "voucher_redemption" ("deleted_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    for (const table of ["voucher_redemption", "voucher", "voucher_program"]) this.addSql(`drop table if exists "${table}" cascade;`)
  }
}
