import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminProduct, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { AlertBadges, LoadError, linkClass } from "../components/common"
import { useProductPools } from "../hooks/api/pools"
import { BundleEditor } from "../components/bundle-editor"

/**
 * On a product page: which card pool each variant sells from (its stock and alerts, a link to the pool) or the bundle
 * it sells (components, whole bundles left); a variant sold from neither can be composed into a bundle here.
 */
const ProductVirtualGoodsWidget = ({ data: product }: DetailWidgetProps<AdminProduct>) => {
  const { t } = useTranslation()
  const { data, error, refetch } = useProductPools(product.id)
  if (!error && !data) return null
  return (
    <Container className="divide-y p-0" data-testid="product-virtual-goods">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.product.title")}</Heading>
      </div>
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && (
        <Table>
          <Table.Body>
            {data.variants.map((v) => (
              <Table.Row key={v.id} data-variant={v.id}>
                <Table.Cell>
                  {v.title}
                  {v.sku ? ` · ${v.sku}` : ""}
                </Table.Cell>
                <Table.Cell>
                  {v.card_pool ? (
                    <div className="flex flex-col gap-y-1">
                      <Link className={linkClass} to={`/virtual-goods/${v.card_pool.id}`}>
                        {v.card_pool.name}
                      </Link>
                      <Text size="xsmall" className="text-ui-fg-subtle" data-testid="variant-stock">
                        {t("virtualGoods.product.stock", {
                          available: v.card_pool.stock.available,
                          sold: v.card_pool.stock.delivered + v.card_pool.stock.revealed,
                        })}
                      </Text>
                      <AlertBadges alerts={v.card_pool.alerts} />
                    </div>
                  ) : v.card_bundle ? (
                    <div className="flex flex-col gap-y-1" data-testid="variant-bundle">
                      <Text size="small" weight="plus">
                        {v.card_bundle.name}
                      </Text>
                      {v.card_bundle.components.map((c) => (
                        <Text key={c.pool_id} size="xsmall" className="text-ui-fg-subtle" data-component={c.pool_id}>
                          <Link className={linkClass} to={`/virtual-goods/${c.pool_id}`}>
                            {c.pool_name ?? c.pool_id}
                          </Link>
                          {` × ${c.quantity} · ${t("virtualGoods.bundles.componentStock", { available: c.available, share: c.share / 100 })}`}
                        </Text>
                      ))}
                      <Text size="xsmall" data-testid="bundle-stock">
                        {t("virtualGoods.bundles.wholeBundles", { count: v.card_bundle.available })}
                      </Text>
                      <BundleEditor variantId={v.id} variantTitle={v.title} bundle={v.card_bundle} />
                    </div>
                  ) : (
                    <div className="flex flex-col gap-y-2">
                      <Text size="small" className="text-ui-fg-subtle">
                        {t("virtualGoods.product.none")}
                      </Text>
                      <BundleEditor variantId={v.id} variantTitle={v.title} bundle={null} />
                    </div>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product.details.side.after",
})

export default ProductVirtualGoodsWidget
