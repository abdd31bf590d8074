import type { Context } from "@medusajs/framework/types"
import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"

/** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
export function knexOf(ctx: Context): Knex {
  const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
}

/** What PostgreSQL says of a failed statement (node-postgres error fields), for mapping to a MedusaError. */
export type PgError = { code?: string; constraint?: string; message: string }

export function pgError(e: unknown): PgError {
  if (e && typeof e === "object") {
    const { code, constraint, message } = e as Record<string, unknown>
    return {
      code: typeof code === "string" ? code : undefined,
      constraint: typeof constraint === "string" ? constraint : undefined,
      message: typeof message === "string" ? message : String(e),
    }
  }
  return { message: String(e) }
}
