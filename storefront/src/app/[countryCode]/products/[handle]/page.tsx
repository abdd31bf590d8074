import { notFound } from "next/navigation"
import { getI18n } from "@lib/i18n/server"
import { getProduct, getStock } from "@lib/data/products"
import { formatAmount } from "@lib/i18n"
import AddToCart from "@modules/products/add-to-cart"
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
    </div>
  )
}
