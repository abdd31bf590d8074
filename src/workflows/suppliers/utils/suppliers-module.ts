import type { MedusaContainer } from "@medusajs/framework/types"
import { SUPPLIERS_MODULE } from "../../../modules/suppliers"
import type SuppliersModuleService from "../../../modules/suppliers/service"

/** The suppliers module's service, resolved by its registration name and typed. */
export function suppliersModule(container: Pick<MedusaContainer, "resolve">): SuppliersModuleService {
  return container.resolve<SuppliersModuleService>(SUPPLIERS_MODULE)
}
