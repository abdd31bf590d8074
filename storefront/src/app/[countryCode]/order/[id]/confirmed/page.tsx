import { notFound } from "next/navigation"
import { getCustomerOrderCodes, getOrder, getOrderStatus, getReceiptCodes, revealReceipt } from "@lib/data/virtual-goods"
import { formatAmount } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import OrderStatusLive from "@modules/order/order-status-live"
import CodesList from "@modules/order/codes-list"
import { codeLabels, revealLabels } from "@modules/order/code-labels"
import GuestReveal from "@modules/virtual-goods/guest-reveal"

export const dynamic = "force-dynamic"

/**
 * The order confirmation: it follows the order live (paid → delivering → delivered, or held, or refunded) and, for a
 * signed-in customer — or the browser that checked out, by its receipt — shows the codes masked with a deliberate
 * reveal. Anyone else (another browser with the order's id) sees the status only; the emailed link works anywhere.
 * Nothing here reads a shipping address: a virtual order has none.
 */
export default async function OrderConfirmed({ params }: { params: Promise<{ countryCode: string; id: string }> }) {
  const { id } = await params
  const { t, lang } = await getI18n()
  const [order, status] = await Promise.all([getOrder(id), getOrderStatus(id)])
  if (!order || !status) notFound()
  const codes = await getCustomerOrderCodes(id)
  const receipt = codes === null ? await getReceiptCodes(id) : null
  const statusLabels = Object.fromEntries(
    (["awaiting_payment", "delivering", "procuring", "delivered", "held", "refunded", "canceled"] as const).map((s) => [s, t(`order.status.${s}`)])
  )
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }} data-testid="order-title">
        {t("order.title", { n: order.display_id ?? "" })}
      </h1>
      <p>{t("order.thanks")}</p>
      <OrderStatusLive orderId={id} initial={status.status} labels={statusLabels} reloadWhenDelivered={codes !== null || receipt !== null} />
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
        <>
          {receipt?.card_codes.length ? (
            <>
              <h2>{t("codes.title")}</h2>
              <p className="muted">{t("codes.masked")}</p>
              <GuestReveal reveal={revealReceipt.bind(null, id)} codes={receipt.card_codes} labels={revealLabels(t)} voucher={{ labels: codeLabels(t), lang }} />
            </>
          ) : null}
          <p className="muted" data-testid="emailed">
            {t("order.emailed", { email: order.email ?? "" })}
          </p>
        </>
      )}
    </div>
  )
}
