import { defineLink } from "@medusajs/framework/utils"
import ProductModule from "@medusajs/medusa/product"
import SuppliersModule from "../modules/suppliers"

/** A top-up variant is fulfilled by one supplier product (直充), and a supplier product fulfils one variant. */
export default defineLink(SuppliersModule.linkable.supplierProduct, ProductModule.linkable.productVariant)
