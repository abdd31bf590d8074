import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Context, DAL } from "@medusajs/framework/types"
import type { ResolvedPaymentReconciliationOptions } from "./options"

export type { Knex }

/** What the module's internal services are given by its container (see loaders/options). */
export type PaymentReconciliationDeps = {
  baseRepository: DAL.RepositoryService
  paymentReconciliationOptions: ResolvedPaymentReconciliationOptions
}

/** What the module's SQL services share: the module's repository, for Medusa's manager decorators. */
export abstract class ReconciliationSqlService {
  protected baseRepository_: DAL.RepositoryService

  constructor(container: PaymentReconciliationDeps) {
    this.baseRepository_ = container.baseRepository
  }
}

/** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
export function knexOf(ctx: Context): Knex {
  const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
}
