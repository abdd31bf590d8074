import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Receipts: the checking-out browser's secret for its order's codes (models/card-receipt.ts). */
export class Migration20261130120000 extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table if not exists "card_receipt" ("id" text not null, "cart_id" text not null, "secret_hash" text not null, "expires_at" timestamptz not null, "max_uses" integer not null, "use_count" integer not null default 0, "last_used_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_receipt_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_receipt_deleted_at" ON "card_receipt" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_receipt_cart_id_unique" ON "card_receipt" ("cart_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_receipt_secret_hash_unique" ON "card_receipt" ("secret_hash") WHERE deleted_at IS NULL;`)
    this.addSql(`alter table "card_receipt" add constraint "card_receipt_uses_check" check (use_count >= 0 and use_count <= max_uses);`)
  }

  async down(): Promise<void> {
    this.addSql(`drop table if exists "card_receipt" cascade;`)
  }
}
