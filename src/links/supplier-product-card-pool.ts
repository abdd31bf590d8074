import { defineLink } from "@medusajs/framework/utils"
import CardVaultModule from "../modules/card-vault"
import SuppliersModule from "../modules/suppliers"

/** A pool restocked from one upstream product (bought when its stock runs low, or at a sale with no stock). */
export default defineLink(SuppliersModule.linkable.supplierProduct, CardVaultModule.linkable.cardPool)
