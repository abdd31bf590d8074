import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Context, DAL } from "@medusajs/framework/types"

export type { Knex }

/** What the module's internal services are given by its container. */
export type RedemptionDeps = { baseRepository: DAL.RepositoryService }

/** What the module's SQL services share: the module's repository (for Medusa's manager decorators). */
export abstract class RedemptionSqlService {
  protected baseRepository_: DAL.RepositoryService

  constructor(container: RedemptionDeps) {
    this.baseRepository_ = container.baseRepository
  }
}

/** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
export function knexOf(ctx: Context): Knex {
  const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
}

/** The `raw_<column>` Medusa keeps beside a bigNumber column, from decimal text (null stays null). */
export function rawMoney(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify({ value: String(value), precision: 20 })
}

