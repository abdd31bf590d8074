import { Module } from "@medusajs/framework/utils"
import optionsLoader from "./loaders/options"
import SuppliersModuleService from "./service"

export const SUPPLIERS_MODULE = "suppliers"

export default Module(SUPPLIERS_MODULE, {
  service: SuppliersModuleService,
  loaders: [optionsLoader],
})

export type { SuppliersModuleOptions, ResolvedSuppliersOptions } from "./utils/options"
export { SUPPLIER_ADAPTERS } from "./adapters/types"
export { parseRecipientFields, validateRecipient } from "./utils/recipient-fields"
