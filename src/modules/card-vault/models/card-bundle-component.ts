import { model } from "@medusajs/framework/utils"
import { CardBundle } from "./card-bundle"

/**
 * One pool of a bundle: `quantity` codes of it per bundle sold, and `share` — its part of the bundle's price in
 * basis points (the shares of a bundle add up to 10,000), which is what refunding this component alone gives back.
 */
export const CardBundleComponent = model
  .define("card_bundle_component", {
    id: model.id({ prefix: "cbcomp" }).primaryKey(),
    pool_id: model.text(),
    quantity: model.number(),
    share: model.number(),
    /** Its place in the bundle as composed (0 first). */
    rank: model.number().default(0),
    bundle: model.belongsTo(() => CardBundle, { mappedBy: "components" }),
  })
  .indexes([{ name: "IDX_card_bundle_component_bundle_pool", on: ["bundle_id", "pool_id"], unique: true, where: "deleted_at IS NULL" }, { on: ["pool_id"] }])
