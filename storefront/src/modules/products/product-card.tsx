import Link from "next/link"
import type { HttpTypes } from "@medusajs/types"
import type { VariantStock } from "@lib/data/products"
import { formatAmount, type Lang, type T } from "@lib/i18n"
import { productStock } from "./stock"

export default function ProductCard({ product, countryCode, stock, t, lang }: { product: HttpTypes.StoreProduct; countryCode: string; stock: Map<string, VariantStock>; t: T; lang: Lang }) {
  const s = productStock(product, stock)
  const price = product.variants?.[0]?.calculated_price
  return (
    <Link href={`/${countryCode}/products/${product.handle}`} className="card" data-testid="product-card" style={{ textDecoration: "none" }}>
      <h3 style={{ marginTop: 0 }}>{product.title}</h3>
      {price?.calculated_amount !== undefined && price?.currency_code ? (
        <div className="price">{formatAmount(price.calculated_amount, price.currency_code, lang)}</div>
      ) : null}
      <div style={{ marginTop: 8 }}>
        {s.sold_out ? <span className="badge bad">{t("stock.soldOut")}</span> : s.unlimited ? null : <span className="badge ok">{t("stock.available", { n: s.available })}</span>}
      </div>
    </Link>
  )
}
