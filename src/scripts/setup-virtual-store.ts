import { randomBytes } from "crypto"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { validateImportEntries } from "../modules/card-vault/utils/import-entries"
import { createCardPoolWorkflow } from "../workflows/virtual-goods/workflows/create-card-pool"
import { importCardCodesWorkflow } from "../workflows/virtual-goods/workflows/import-card-codes"
import { linkCardPoolToVariantWorkflow } from "../workflows/virtual-goods/workflows/link-card-pool-to-variant"
import { cardVaultModule } from "../workflows/virtual-goods/utils/card-vault-module"

/** A demo product as Query reads it (or as it was just created): its variants and the pool each one sells from. */
type DemoProductRow = { id: string; variants: { id: string; card_pool?: { id: string } | null }[] }

export type VirtualProductSpec = { title: string; handle: string; sku: string; price: number; codes: number }

export type VirtualStore = {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  stock_location_id: string
  shipping_option_id: string
  products: { handle: string; product_id: string; variant_id: string; pool_id: string }[]
}

const DIGITAL_PROVIDER = "digital_digital"

/** Random demo codes in a voucher-like format. Never use these outside a demo or a test. */
export function demoCodes(prefix: string, n: number): string[] {
  return Array.from({ length: n }, () => {
    const hex = randomBytes(8).toString("hex").toUpperCase()
    return `${prefix}-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12)}`
  })
}

/**
 * Sets up a store that sells virtual goods: sales channel, region (USD, the system payment provider and the plugin's
 * Stripe providers when registered), publishable key,
 * a "Digital vault" stock location with the digital fulfillment provider, a fulfillment set and a 0-priced digital
 * shipping option not offered in the store, and virtual products (no shipping profile, so carts need no address)
 * whose variants are linked to pools holding codes. Idempotent: existing records are found by name or handle and
 * pools are only topped up to the requested number of available codes.
 */
export async function setupVirtualStore(
  container: MedusaContainer,
  options: { name?: string; products: VirtualProductSpec[] }
): Promise<VirtualStore> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const name = options.name ?? "Virtual goods store"

  const salesChannel =
    (await query.graph({ entity: "sales_channel", fields: ["id"], filters: { name } })).data[0] ??
    (await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name }] } })).result[0]

  // The plugin's Stripe providers join the system provider when the app registers them (STRIPE_API_KEY in the demo).
  const { data: stripeProviders } = await query.graph({
    entity: "payment_provider",
    fields: ["id"],
    filters: { id: ["pp_stripe_stripe", "pp_stripe-alipay_stripe", "pp_stripe-wechat-pay_stripe"] },
  })
  const paymentProviders = ["pp_system_default", ...(stripeProviders as { id: string }[]).map((p) => p.id)]
  const region =
    (await query.graph({ entity: "region", fields: ["id"], filters: { name } })).data[0] ??
    (
      await createRegionsWorkflow(container).run({
        input: { regions: [{ name, currency_code: "usd", countries: ["us"], payment_providers: paymentProviders }] },
      })
    ).result[0]

  let apiKey: { id: string; token: string } | undefined = (await query.graph({ entity: "api_key", fields: ["id", "token"], filters: { title: name, type: "publishable" } })).data[0]
  if (!apiKey) {
    apiKey = (
      await createApiKeysWorkflow(container).run({ input: { api_keys: [{ title: name, type: "publishable", created_by: "" }] } })
    ).result[0]
    await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [salesChannel.id] } })
  }

  const locationName = `${name} — digital vault`
  let location: { id: string } | undefined = (await query.graph({ entity: "stock_location", fields: ["id"], filters: { name: locationName } })).data[0]
  let shippingOptionId: string
  if (!location) {
    location = (await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: locationName }] } })).result[0]
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannel.id] } })
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: DIGITAL_PROVIDER },
    })
    const fulfillment = container.resolve(Modules.FULFILLMENT)
    const fulfillmentSet = await fulfillment.createFulfillmentSets({
      name: locationName,
      type: "digital",
      service_zones: [{ name: "Everywhere (digital)", geo_zones: [{ type: "country", country_code: "us" }] }],
    })
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
    })
    const { result: profiles } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: `${name} — digital`, type: "digital" }] },
    })
    const { result: shippingOptions } = await createShippingOptionsWorkflow(container).run({
      input: [
        {
          name: "Digital delivery",
          price_type: "flat",
          provider_id: DIGITAL_PROVIDER,
          service_zone_id: fulfillmentSet.service_zones[0].id,
          shipping_profile_id: profiles[0].id,
          type: { label: "Digital", description: "Codes delivered by email and in the account", code: "digital" },
          prices: [{ currency_code: "usd", amount: 0 }],
          rules: [
            { attribute: "enabled_in_store", value: "false", operator: "eq" },
            { attribute: "is_return", value: "false", operator: "eq" },
          ],
        },
      ],
    })
    shippingOptionId = shippingOptions[0].id
  } else {
    shippingOptionId = (
      await query.graph({ entity: "shipping_option", fields: ["id"], filters: { provider_id: DIGITAL_PROVIDER } })
    ).data[0].id
  }

  const vault = cardVaultModule(container)
  const products: VirtualStore["products"] = []
  for (const spec of options.products) {
    let product: DemoProductRow | undefined = (
      await query.graph({ entity: "product", fields: ["id", "variants.id", "variants.card_pool.id"], filters: { handle: spec.handle } })
    ).data[0]
    if (!product) {
      product = (
        await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: spec.title,
                handle: spec.handle,
                status: "published",
                options: [{ title: "Plan", values: ["Standard"] }],
                variants: [
                  {
                    title: spec.title,
                    sku: spec.sku,
                    manage_inventory: true,
                    options: { Plan: "Standard" },
                    prices: [{ amount: spec.price, currency_code: "usd" }],
                  },
                ],
                sales_channels: [{ id: salesChannel.id }],
              },
            ],
          },
        })
      ).result[0]
    }
    const variantId = product.variants[0].id
    let poolId: string | undefined = product.variants[0].card_pool?.id
    if (!poolId) {
      const { result: pool } = await createCardPoolWorkflow(container).run({ input: { name: spec.title } })
      poolId = pool.id
      await linkCardPoolToVariantWorkflow(container).run({
        input: { pool_id: poolId, variant_id: variantId, stock_location_id: location.id },
      })
    }
    const available = (await vault.getStockCounts([poolId]))[poolId].available
    if (available < spec.codes) {
      const { entries } = validateImportEntries(demoCodes(spec.sku, spec.codes - available))
      await importCardCodesWorkflow(container).run({
        input: {
          pool_id: poolId,
          codes: vault.sealCodes(poolId, entries),
          supplier: "Demo supplier",
          // The demo supplier's price: 70% of the shop's, to the cent (exact, not through a float).
          cost_per_code: MathBN.mult(spec.price, "0.7").decimalPlaces(2, 4 /* ROUND_HALF_UP */).toFixed(),
          currency_code: "usd",
          actor: { type: "system", id: "setup-virtual-store" },
        },
      })
    }
    products.push({ handle: spec.handle, product_id: product.id, variant_id: variantId, pool_id: poolId })
  }

  return {
    region_id: region.id,
    sales_channel_id: salesChannel.id,
    publishable_key: apiKey.token,
    stock_location_id: location.id,
    shipping_option_id: shippingOptionId,
    products,
  }
}
