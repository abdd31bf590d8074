import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Numeric aliases of our ids for the dujiao-next compatible routes (models/agent-numeric-alias.ts). */
export class Migration20261201161500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE IF NOT EXISTS "agent_numeric_alias" (
      "id" text NOT NULL,
      "kind" text CHECK ("kind" IN ('product', 'variant', 'category', 'order')) NOT NULL,
      "target_id" text NOT NULL,
      "number" bigserial NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "deleted_at" timestamptz NULL,
      CONSTRAINT "agent_numeric_alias_pkey" PRIMARY KEY ("id"))`)
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_numeric_alias_kind_target_unique" ON "agent_numeric_alias" ("kind", "target_id") WHERE deleted_at IS NULL`
    )
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_numeric_alias_number_unique" ON "agent_numeric_alias" ("number")`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_numeric_alias_deleted_at" ON "agent_numeric_alias" ("deleted_at") WHERE deleted_at IS NULL`)
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS "agent_numeric_alias" CASCADE`)
  }
}
