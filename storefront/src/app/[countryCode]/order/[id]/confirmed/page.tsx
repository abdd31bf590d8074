import { notFound } from "next/navigation"
import { getCustomerOrderCodes, getOrder, getOrderStatus } from "@lib/data/virtual-goods"
import { formatAmount } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import OrderStatusLive from "@modules/order/order-status-live"
import CodesList from "@modules/order/codes-list"
import { codeLabels } from "@modules/order/code-labels"

export const dynamic = "force-dynamic"

/**
 * The order confirmation: it follows the order live (paid → delivering → delivered, or held, or refunded) and, for a
 * signed-in customer, shows the codes masked with a deliberate reveal. A guest's codes travel by the emailed link.
 * Nothing here reads a shipping address: a virtual order has none.
 */
export default async function OrderConfirmed({ params }: { params: Promise<{ countryCode: string; id: string }> }) {
  const { id } = await params
  const { t, lang } = await getI18n()
  const [order, status] = await Promise.all([getOrder(id), getOrderStatus(id)])
  if (!order || !status) notFound()
  const codes = await getCustomerOrderCodes(id)
  const statusLabels = Object.fromEntries(
    (["awaiting_payment", "delivering", "delivered", "held", "refunded", "canceled"] as const).map((s) => [s, t(`order.status.${s}`)])
  )
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }} data-testid="order-title">
        {t("order.title", { n: order.display_id ?? "" })}
      </h1>
      <p>{t("order.thanks")}</p>
      <OrderStatusLive orderId={id} initial={status.status} labels={statusLabels} reloadWhenDelivered={codes !== null} />
      <ul>
        {(order.items ?? []).map((i) => (
          <li key={i.id}>
            {i.product_title} × {i.quantity}
          </li>
        ))}
      </ul>
      <p>
        {formatAmount(order.total ?? 0, order.currency_code, lang)}
      </p>
      {codes !== null ? (
        <>
          <h2>{t("codes.title")}</h2>
          <CodesList
            orderId={id}
            codes={codes}
            lang={lang}
            labels={codeLabels(t)}
          />
        </>
      ) : (
        <p className="muted" data-testid="emailed">
          {t("order.emailed", { email: order.email ?? "" })}
        </p>
      )}
    </div>
  )
}
