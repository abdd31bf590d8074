import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Context, DAL } from "@medusajs/framework/types"
import type { ResolvedSuppliersOptions } from "./options"
import type { SupplierSealer } from "./sealing"

export type { Knex }

/** What the module's internal services are given by its container (see loaders/options). */
export type SuppliersDeps = {
  baseRepository: DAL.RepositoryService
  suppliersOptions: ResolvedSuppliersOptions
  supplierSealer: SupplierSealer
}

/** What the module's SQL services share: the module's repository (for Medusa's manager decorators), options, sealer. */
export abstract class SuppliersSqlService {
  protected baseRepository_: DAL.RepositoryService
  protected options_: ResolvedSuppliersOptions
  protected sealer_: SupplierSealer

  constructor(container: SuppliersDeps) {
    this.baseRepository_ = container.baseRepository
    this.options_ = container.suppliersOptions
    this.sealer_ = container.supplierSealer
  }
}

/** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
export function knexOf(ctx: Context): Knex {
  const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
}
