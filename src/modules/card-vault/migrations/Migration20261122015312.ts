import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122015312 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "card_reveal_link" drop constraint if exists "card_reveal_link_token_hash_unique";`);
    this.addSql(`alter table if exists "card_code" drop constraint if exists "card_code_blind_index_unique";`);
    this.addSql(`create table if not exists "card_audit_log" ("id" text not null, "action" text not null, "actor_type" text not null, "actor_id" text null, "pool_id" text null, "batch_id" text null, "order_id" text null, "cart_id" text null, "code_ids" jsonb null, "code_count" integer not null default 0, "reason" text null, "ip" text null, "user_agent" text null, "details" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_audit_log_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_deleted_at" ON "card_audit_log" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_action" ON "card_audit_log" ("action") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_order_id" ON "card_audit_log" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_pool_id" ON "card_audit_log" ("pool_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_created_at" ON "card_audit_log" ("created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_pool" ("id" text not null, "name" text not null, "description" text null, "stock_location_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_pool_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_pool_deleted_at" ON "card_pool" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_code" ("id" text not null, "pool_id" text not null, "batch_id" text not null, "status" text check ("status" in ('available', 'reserved', 'delivered', 'revealed', 'voided', 'expired')) not null default 'available', "key_version" integer not null, "ciphertext" text not null, "blind_index" text not null, "mask" text not null, "has_password" boolean not null default false, "expires_at" timestamptz null, "cart_id" text null, "order_id" text null, "line_item_id" text null, "reserved_at" timestamptz null, "delivered_at" timestamptz null, "revealed_at" timestamptz null, "reveal_count" integer not null default 0, "voided_at" timestamptz null, "void_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_code_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_pool_id" ON "card_code" ("pool_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_deleted_at" ON "card_code" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_code_blind_index_unique" ON "card_code" ("blind_index") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_claimable" ON "card_code" ("pool_id", "expires_at", "id") WHERE status = 'available' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_cart_id" ON "card_code" ("cart_id") WHERE cart_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_order_id" ON "card_code" ("order_id") WHERE order_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_pool_status" ON "card_code" ("pool_id", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_batch_id" ON "card_code" ("batch_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_batch" ("id" text not null, "pool_id" text not null, "supplier" text null, "cost_per_code" numeric null, "currency_code" text null, "expires_at" timestamptz null, "file_hash" text null, "source" text check ("source" in ('import', 'generated')) not null default 'import', "status" text check ("status" in ('importing', 'committed', 'failed')) not null default 'committed', "code_count" integer not null default 0, "rejected_count" integer not null default 0, "created_by" text null, "raw_cost_per_code" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_batch_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_batch_pool_id" ON "card_batch" ("pool_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_batch_deleted_at" ON "card_batch" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_reveal_link" ("id" text not null, "order_id" text not null, "token_hash" text not null, "expires_at" timestamptz not null, "max_uses" integer not null, "use_count" integer not null default 0, "last_used_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_reveal_link_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_reveal_link_deleted_at" ON "card_reveal_link" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_reveal_link_order_id" ON "card_reveal_link" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_reveal_link_token_hash_unique" ON "card_reveal_link" ("token_hash") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "card_code" add constraint "card_code_pool_id_foreign" foreign key ("pool_id") references "card_pool" ("id") on update cascade;`);

    this.addSql(`alter table if exists "card_batch" add constraint "card_batch_pool_id_foreign" foreign key ("pool_id") references "card_pool" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "card_delivery" drop constraint if exists "card_delivery_order_id_unique";`);
    this.addSql(`create table if not exists "card_delivery" ("id" text not null, "order_id" text not null, "status" text check ("status" in ('delivered', 'held', 'returned')) not null, "attempts" integer not null default 0, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_delivery_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_delivery_deleted_at" ON "card_delivery" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_delivery_order_id_unique" ON "card_delivery" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_delivery_status_updated_at" ON "card_delivery" ("status", "updated_at") WHERE deleted_at IS NULL;`);

    // Who may hold a code follows from its status: available codes belong to nobody, reserved ones to a cart,
    // delivered and revealed ones to an order. The database refuses any row that breaks this.
    this.addSql(`alter table "card_code" add constraint "card_code_owner_check" check (
      (status <> 'available' or (cart_id is null and order_id is null))
      and (status <> 'reserved' or cart_id is not null)
      and (status not in ('delivered', 'revealed') or order_id is not null));`);
    this.addSql(`alter table "card_reveal_link" add constraint "card_reveal_link_uses_check" check (use_count >= 0 and use_count <= max_uses);`);

    // The audit log is append-only: rows can be added, never changed or removed.
    this.addSql(`create or replace function card_audit_log_append_only() returns trigger as $$
      begin raise exception 'card_audit_log is append-only'; end $$ language plpgsql;`);
    this.addSql(`drop trigger if exists card_audit_log_append_only on "card_audit_log";`);
    this.addSql(`create trigger card_audit_log_append_only before update or delete on "card_audit_log"
      for each row execute function card_audit_log_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists card_audit_log_append_only on "card_audit_log";`);
    this.addSql(`drop function if exists card_audit_log_append_only();`);
    this.addSql(`alter table if exists "card_code" drop constraint if exists "card_code_pool_id_foreign";`);

    this.addSql(`alter table if exists "card_batch" drop constraint if exists "card_batch_pool_id_foreign";`);

    this.addSql(`drop table if exists "card_audit_log" cascade;`);

    this.addSql(`drop table if exists "card_pool" cascade;`);

    this.addSql(`drop table if exists "card_code" cascade;`);

    this.addSql(`drop table if exists "card_batch" cascade;`);

    this.addSql(`drop table if exists "card_reveal_link" cascade;`);

    this.addSql(`drop table if exists "card_delivery" cascade;`);
  }

}
