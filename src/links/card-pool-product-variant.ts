import { defineLink } from "@medusajs/framework/utils"
import ProductModule from "@medusajs/medusa/product"
import CardVaultModule from "../modules/card-vault"

/** One pool of codes per sellable variant, and one variant per pool. */
export default defineLink(CardVaultModule.linkable.cardPool, ProductModule.linkable.productVariant)
