import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Chargebacks and Stripe Radar: rule kind `radar`, key `card_fingerprint`, list type `review`, and the lists the plugin
 * keeps itself (`is_system`, one per key and list type — a unique index, so two disputes at once cannot make two — with
 * why each value was added in `value_reasons`).
 */
export class Migration20261201100500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_kind_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_kind_check" check ("kind" in ('velocity', 'order_amount', 'order_quantity', 'first_purchase', 'list', 'radar'));`)
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_key_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_key_check" check ("key" in ('ip', 'email', 'email_domain', 'customer', 'agent', 'device', 'card_fingerprint'));`)
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_list_type_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_list_type_check" check ("list_type" in ('block', 'allow', 'review'));`)
    this.addSql(`alter table if exists "risk_rule" add column if not exists "is_system" boolean not null default false, add column if not exists "value_reasons" jsonb null;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_risk_rule_system_list_unique" ON "risk_rule" ("key", "list_type") WHERE is_system = true AND deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_risk_rule_system_list_unique";`)
    this.addSql(`alter table if exists "risk_rule" drop column if exists "is_system", drop column if exists "value_reasons";`)
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_list_type_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_list_type_check" check ("list_type" in ('block', 'allow'));`)
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_key_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_key_check" check ("key" in ('ip', 'email', 'email_domain', 'customer', 'agent', 'device'));`)
    this.addSql(`alter table "risk_rule" drop constraint if exists "risk_rule_kind_check";`)
    this.addSql(`alter table "risk_rule" add constraint "risk_rule_kind_check" check ("kind" in ('velocity', 'order_amount', 'order_quantity', 'first_purchase', 'list'));`)
  }
}
