import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Wholesale orders answered from one transaction: the agent order is committed `completed` with its codes, ledger
 * posting and quota, and its Medusa order is recorded afterwards by the worker. `bookkeeping_status` is the outbox:
 * `pending` until the Medusa order (paid, fulfilled, linked) exists, then `done`; attempts and the last error show a
 * lag to admins. Orders of earlier versions were recorded in the request and count as done. A completed order has its
 * ledger posting, and its Medusa order unless the bookkeeping is still pending.
 */
export class Migration20261130050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "agent_order" add column if not exists "bookkeeping_status" text check ("bookkeeping_status" in ('pending', 'done')) null, add column if not exists "bookkeeping_attempts" integer not null default 0, add column if not exists "bookkeeping_error" text null, add column if not exists "bookkept_at" timestamptz null;`);
    this.addSql(`update "agent_order" set "bookkeeping_status" = 'done', "bookkept_at" = "completed_at" where "status" = 'completed' and "bookkeeping_status" is null;`);
    this.addSql(`alter table "agent_order" drop constraint if exists "agent_order_completed";`);
    this.addSql(`alter table "agent_order" add constraint "agent_order_completed" check (status <> 'completed' or (transaction_id is not null and (order_id is not null or bookkeeping_status = 'pending')));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_order_bookkeeping_pending" ON "agent_order" ("created_at", "id") WHERE bookkeeping_status = 'pending' AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_agent_order_bookkeeping_pending";`);
    this.addSql(`alter table "agent_order" drop constraint if exists "agent_order_completed";`);
    this.addSql(`alter table "agent_order" add constraint "agent_order_completed" check (status <> 'completed' or (order_id is not null and transaction_id is not null));`);
    this.addSql(`alter table if exists "agent_order" drop column if exists "bookkeeping_status", drop column if exists "bookkeeping_attempts", drop column if exists "bookkeeping_error", drop column if exists "bookkept_at";`);
  }
}
