import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * An agent order's total becomes a numeric column (with `raw_total`, the exact form Medusa keeps beside a `bigNumber`
 * column) instead of text. Safe on existing rows: a total that is not a plain decimal stops the migration with the
 * ids it found (nothing is converted then); every other total keeps its exact value and its digits as written.
 */
export class Migration20261201090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`DO $$
DECLARE bad text;
BEGIN
  SELECT string_agg(id, ', ') INTO bad FROM (
    SELECT id FROM "agent_order" WHERE "total" IS NOT NULL AND "total" !~ '^-{0,1}[0-9]+(\\.[0-9]+){0,1}$' ORDER BY id LIMIT 20) b;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'agent_order.total is not a plain decimal in: %', bad;
  END IF;
END $$;`);
    this.addSql(`alter table if exists "agent_order" alter column "total" type numeric using "total"::numeric;`);
    this.addSql(`alter table if exists "agent_order" add column if not exists "raw_total" jsonb null;`);
    this.addSql(`update "agent_order" set "raw_total" = jsonb_build_object('value', "total"::text, 'precision', 20) where "total" is not null and "raw_total" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "agent_order" drop column if exists "raw_total";`);
    this.addSql(`alter table if exists "agent_order" alter column "total" type text using "total"::text;`);
  }
}
