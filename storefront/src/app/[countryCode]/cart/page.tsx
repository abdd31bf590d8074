import { Fragment } from "react"
import Link from "next/link"
import { retrieveCart } from "@lib/data/cart"
import { formatAmount } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import RemoveItem from "@modules/cart/remove-item"
import { getTopUpFields } from "@lib/data/topup"
import { missingRecipients, topUpLinesOf } from "@modules/virtual-goods/topup-recipient"
import TopUpRecipientForm from "@modules/virtual-goods/topup-recipient-form"
import { topUpRecipientLabels } from "@modules/virtual-goods/topup-labels"

export const dynamic = "force-dynamic"

export default async function CartPage({ params }: { params: Promise<{ countryCode: string }> }) {
  const { countryCode } = await params
  const { t, lang } = await getI18n()
  const cart = await retrieveCart()
  if (!cart?.items?.length) {
    return (
      <div className="card">
        <h1 style={{ marginTop: 0 }}>{t("cart.title")}</h1>
        <p data-testid="cart-empty">{t("cart.empty")}</p>
      </div>
    )
  }
  // Top-up lines (直充) take their recipient here; a failed lookup leaves it to the checkout's own check.
  const topUps = topUpLinesOf(cart.items, await getTopUpFields(cart.items.map((i) => i.variant_id ?? "")).catch(() => ({})))
  const topUpOf = new Map(topUps.map((l) => [l.lineId, l]))
  const recipientLabels = topUpRecipientLabels(t)
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{t("cart.title")}</h1>
      <table>
        <tbody>
          {cart.items.map((item) => {
            const topUp = topUpOf.get(item.id)
            return (
              <Fragment key={item.id}>
                <tr data-testid="cart-item">
                  <td>
                    {item.product_title}
                    {item.variant_title && item.variant_title !== "Default variant" ? <span className="muted"> · {item.variant_title}</span> : null}
                  </td>
                  <td>× {item.quantity}</td>
                  <td>{formatAmount(item.total ?? 0, cart.currency_code, lang)}</td>
                  <td>
                    <RemoveItem lineId={item.id} label={t("cart.remove")} />
                  </td>
                </tr>
                {topUp ? (
                  <tr data-testid="cart-item-topup">
                    <td colSpan={4}>
                      <TopUpRecipientForm lineId={topUp.lineId} fields={topUp.fields} masked={topUp.masked} labels={recipientLabels} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            )
          })}
        </tbody>
      </table>
      {missingRecipients(topUps).length ? (
        <p className="muted" data-testid="topup-missing">
          {t("topup.missing")}
        </p>
      ) : null}
      <div className="row" style={{ marginTop: 16 }}>
        <strong>
          {t("cart.total")}: <span data-testid="cart-total">{formatAmount(cart.total ?? 0, cart.currency_code, lang)}</span>
        </strong>
        <Link className="button" href={`/${countryCode}/checkout`} data-testid="go-checkout">
          {t("cart.checkout")}
        </Link>
      </div>
    </div>
  )
}
