import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Bundles: a bundle, its components (a pool and a quantity per bundle, a share of the price in basis points, at most
 * one component per pool) and the refunds of single components (once per line and pool, by unique index).
 */
export class Migration20261203090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "card_bundle" ("id" text not null, "name" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_bundle_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_bundle_deleted_at" ON "card_bundle" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`create table if not exists "card_bundle_component" ("id" text not null, "bundle_id" text not null, "pool_id" text not null, "quantity" integer not null check ("quantity" > 0), "share" integer not null check ("share" >= 0 and "share" <= 10000), "rank" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_bundle_component_pkey" primary key ("id"));`)
    this.addSql(`alter table if exists "card_bundle_component" add constraint "card_bundle_component_bundle_id_foreign" foreign key ("bundle_id") references "card_bundle" ("id") on update cascade on delete cascade;`)
    this.addSql(`alter table if exists "card_bundle_component" add constraint "card_bundle_component_pool_id_foreign" foreign key ("pool_id") references "card_pool" ("id") on update cascade;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_bundle_component_bundle_pool" ON "card_bundle_component" ("bundle_id", "pool_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_bundle_component_pool_id" ON "card_bundle_component" ("pool_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_bundle_component_deleted_at" ON "card_bundle_component" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`create table if not exists "card_bundle_refund" ("id" text not null, "order_id" text not null, "line_item_id" text not null, "pool_id" text not null, "amount" numeric not null check ("amount" >= 0), "raw_amount" jsonb not null, "currency_code" text not null, "reason" text not null, "status" text check ("status" in ('refunding', 'refunded')) not null default 'refunding', "restocked" integer not null default 0, "voided" integer not null default 0, "created_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_bundle_refund_pkey" primary key ("id"));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_bundle_refund_line_pool" ON "card_bundle_refund" ("line_item_id", "pool_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_bundle_refund_order_id" ON "card_bundle_refund" ("order_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_bundle_refund_deleted_at" ON "card_bundle_refund" ("deleted_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "card_bundle_refund" cascade;`)
    this.addSql(`drop table if exists "card_bundle_component" cascade;`)
    this.addSql(`drop table if exists "card_bundle" cascade;`)
  }
}
