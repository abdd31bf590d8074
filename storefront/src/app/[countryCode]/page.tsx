import { getI18n } from "@lib/i18n/server"
import { getStock, listProducts } from "@lib/data/products"
import ProductCard from "@modules/products/product-card"

export const dynamic = "force-dynamic"

export default async function Catalog({ params }: { params: Promise<{ countryCode: string }> }) {
  const { countryCode } = await params
  const { t, lang } = await getI18n()
  const products = await listProducts(countryCode)
  const stock = await getStock(products.flatMap((p) => p.variants?.map((v) => v.id) ?? []))
  return (
    <>
      <h1>{t("catalog.title")}</h1>
      <p className="muted">{t("catalog.subtitle")}</p>
      {products.length ? (
        <div className="grid">
          {products.map((p) => (
            <ProductCard key={p.id} product={p} countryCode={countryCode} stock={stock} t={t} lang={lang} />
          ))}
        </div>
      ) : (
        <p>{t("catalog.empty")}</p>
      )}
    </>
  )
}
