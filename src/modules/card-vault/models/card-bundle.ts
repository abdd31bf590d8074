import { model } from "@medusajs/framework/utils"
import { CardBundleComponent } from "./card-bundle-component"

/**
 * A bundle (组合商品 / 套餐): one sellable variant whose line delivers codes from several pools, in stated quantities
 * per unit. Linked to its product variant through a module link; its codes stay in their pools.
 */
export const CardBundle = model
  .define("card_bundle", {
    id: model.id({ prefix: "cbndl" }).primaryKey(),
    name: model.text().searchable(),
    components: model.hasMany(() => CardBundleComponent, { mappedBy: "bundle" }),
  })
  .cascades({ delete: ["components"] })
