import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminProduct, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { AlertBadges, LoadError, linkClass } from "../components/common"
import { useProductPools } from "../hooks/api/pools"

/** On a product page: which card pool each variant sells from, its stock and alerts, with a link to the pool. */
const ProductVirtualGoodsWidget = ({ data: product }: DetailWidgetProps<AdminProduct>) => {
  const { t } = useTranslation()
  const { data, error, refetch } = useProductPools(product.id)
  // Products with no variant sold from a pool are ordinary products: the widget stays out of the way.
  if (!error && (!data || !data.variants.some((v) => v.card_pool))) return null
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
                  ) : (
                    <Text size="small" className="text-ui-fg-subtle">
                      {t("virtualGoods.product.none")}
                    </Text>
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
