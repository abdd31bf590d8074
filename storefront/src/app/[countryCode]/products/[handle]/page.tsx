import { notFound } from "next/navigation"
import { getI18n } from "@lib/i18n/server"
import { getProduct, getStock } from "@lib/data/products"
import { formatAmount } from "@lib/i18n"
import AddToCart from "@modules/products/add-to-cart"
import PickCode from "@modules/products/pick-code"
import { listPickableCodes } from "@lib/data/picks"
import { productStock } from "@modules/products/stock"

export const dynamic = "force-dynamic"

export default async function ProductPage({ params }: { params: Promise<{ countryCode: string; handle: string }> }) {
  const { countryCode, handle } = await params
  const { t, lang } = await getI18n()
  const product = await getProduct(countryCode, handle)
  if (!product) notFound()
  const stock = await getStock(product.variants?.map((v) => v.id) ?? [])
  const variants = (product.variants ?? []).map((v) => {
    const s = stock.get(v.id)
    const own = productStock({ ...product, variants: [v] }, stock)
    return {
      id: v.id,
      title: v.title ?? "",
      price: v.calculated_price?.calculated_amount !== undefined && v.calculated_price?.currency_code ? formatAmount(v.calculated_price.calculated_amount, v.calculated_price.currency_code, lang) : "",
      available: s && !s.pass_through ? s.available : own.unlimited ? null : own.available,
      sold_out: own.sold_out,
    }
  })
  // Buyer's choice: the first variant whose pool lets shoppers pick a code (labels only).
  const picks = (await Promise.all((product.variants ?? []).slice(0, 5).map(async (v) => ({ id: v.id, list: await listPickableCodes(v.id).catch(() => null) })))).find((p) => p.list)
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{product.title}</h1>
      {product.description ? <p>{product.description}</p> : null}
      <p className="muted">{t("product.delivery")}</p>
      <AddToCart
        countryCode={countryCode}
        variants={variants}
        labels={{ add: t("product.addToCart"), added: t("product.added"), soldOut: t("stock.soldOut"), quantity: t("product.quantity"), inStock: t("stock.available", { n: "{n}" }) }}
      />
      {picks?.list ? (
        <PickCode
          countryCode={countryCode}
          variantId={picks.id}
          premium={`${Math.floor(picks.list.pick.premium_bp / 100)}${picks.list.pick.premium_bp % 100 ? `.${String(picks.list.pick.premium_bp % 100).padStart(2, "0").replace(/0$/, "")}` : ""}`}
          initial={{ codes: picks.list.codes, count: picks.list.count }}
          labels={{
            title: t("pick.title"),
            premium: t("pick.premium", { premium: "{premium}" }),
            search: t("pick.search"),
            none: t("pick.none"),
            count: t("pick.count", { n: "{n}" }),
            choose: t("pick.choose", { label: "{label}" }),
            added: t("pick.added", { label: "{label}" }),
          }}
        />
      ) : null}
    </div>
  )
}
