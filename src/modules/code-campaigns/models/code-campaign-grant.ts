import { model } from "@medusajs/framework/utils"

/**
 * A code given by a campaign to one customer (at most one per campaign and customer, by unique index). The code is
 * delivered in the vault to this grant as its owner (its id, never the code, is kept here).
 */
export const CodeCampaignGrant = model
  .define("code_campaign_grant", {
    id: model.id({ prefix: "cgrant" }).primaryKey(),
    campaign_id: model.text(),
    customer_id: model.text(),
    email: model.text().nullable(),
    code_id: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_code_campaign_grant_campaign_customer", on: ["campaign_id", "customer_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["customer_id"] },
  ])
