import { defineLink } from "@medusajs/framework/utils"
import ProductModule from "@medusajs/medusa/product"
import CardVaultModule from "../modules/card-vault"

/** A bundle is sold as one variant, and a variant sells at most one bundle (never a pool as well). */
export default defineLink(CardVaultModule.linkable.cardBundle, ProductModule.linkable.productVariant)
