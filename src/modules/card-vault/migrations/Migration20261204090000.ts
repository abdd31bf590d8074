import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Reusable pools and buyer's choice: a pool's kind and pick rule; shared codes (one row per code of a reusable pool,
 * CHECK copies_made ≤ sale_limit, so a code is never sold beyond its limit); a code's shared code (its copy) and pick
 * label, with the indexes that find a shared code's copies and a pool's pickable codes.
 */
export class Migration20261204090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "card_pool" add column if not exists "kind" text check ("kind" in ('exclusive', 'reusable')) not null default 'exclusive', add column if not exists "pick_premium_bp" integer null check ("pick_premium_bp" >= 0 and "pick_premium_bp" <= 1000000), add column if not exists "pick_show_first" integer not null default 0 check ("pick_show_first" >= 0), add column if not exists "pick_show_last" integer not null default 0 check ("pick_show_last" >= 0);`)
    this.addSql(`create table if not exists "card_shared_code" ("id" text not null, "pool_id" text not null, "batch_id" text not null, "blind_index" text not null, "mask" text not null, "sale_limit" integer null check ("sale_limit" > 0), "copies_made" integer not null default 0 check ("copies_made" >= 0), "status" text check ("status" in ('active', 'withdrawn')) not null default 'active', "withdrawn_at" timestamptz null, "withdraw_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_shared_code_pkey" primary key ("id"), constraint "card_shared_code_within_limit" check ("sale_limit" is null or "copies_made" <= "sale_limit"));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_shared_code_blind_index_unique" ON "card_shared_code" ("blind_index") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_shared_code_pool_id" ON "card_shared_code" ("pool_id", "status") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_shared_code_batch_id" ON "card_shared_code" ("batch_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_shared_code_deleted_at" ON "card_shared_code" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`alter table if exists "card_code" add column if not exists "shared_code_id" text null, add column if not exists "pick_label" text null;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_shared_code_id" ON "card_code" ("shared_code_id", "status") WHERE shared_code_id IS NOT NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_pickable" ON "card_code" ("pool_id", "pick_label") WHERE status = 'available' AND pick_label IS NOT NULL AND deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_card_code_pickable";`)
    this.addSql(`drop index if exists "IDX_card_code_shared_code_id";`)
    this.addSql(`alter table if exists "card_code" drop column if exists "shared_code_id", drop column if exists "pick_label";`)
    this.addSql(`drop table if exists "card_shared_code" cascade;`)
    this.addSql(`alter table if exists "card_pool" drop column if exists "kind", drop column if exists "pick_premium_bp", drop column if exists "pick_show_first", drop column if exists "pick_show_last";`)
  }
}
