import { redirect } from "next/navigation"
import Link from "next/link"
import { retrieveCart } from "@lib/data/cart"
import { retrieveCustomer } from "@lib/data/customer"
import { formatAmount } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import { paymentChoiceFor } from "@lib/data/payment"
import CheckoutForm from "@modules/checkout/checkout-form"
import StripeCheckout from "@modules/checkout/stripe-checkout"
import { stripeCheckoutLabels } from "@modules/checkout/payment-labels"
import { getTopUpFields } from "@lib/data/topup"
import { missingRecipients, topUpLinesOf } from "@modules/virtual-goods/topup-recipient"
import TopUpRecipientForm from "@modules/virtual-goods/topup-recipient-form"
import { topUpRecipientLabels } from "@modules/virtual-goods/topup-labels"

export const dynamic = "force-dynamic"

/**
 * Checkout for virtual goods: no address, no shipping — an email (or the signed-in customer's), then pay: with Stripe
 * when a publishable key is configured and the region has Stripe's providers, with the system provider otherwise.
 */
export default async function CheckoutPage({ params }: { params: Promise<{ countryCode: string }> }) {
  const { countryCode } = await params
  const { t, lang } = await getI18n()
  const cart = await retrieveCart()
  if (!cart?.items?.length) redirect(`/${countryCode}/cart`)
  const [customer, payment] = await Promise.all([retrieveCustomer(), paymentChoiceFor(cart.region_id)])
  const amount = formatAmount(cart.total ?? 0, cart.currency_code, lang)
  const topUps = topUpLinesOf(cart.items, await getTopUpFields(cart.items.map((i) => i.variant_id ?? "")).catch(() => ({})))
  const topUpOf = new Map(topUps.map((l) => [l.lineId, l]))
  const blocked = missingRecipients(topUps).length ? t("topup.missing") : null
  const recipientLabels = topUpRecipientLabels(t)
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{t("checkout.title")}</h1>
      <ul>
        {cart.items.map((i) => {
          const topUp = topUpOf.get(i.id)
          return (
            <li key={i.id}>
              {i.product_title} × {i.quantity}
              {topUp ? <TopUpRecipientForm lineId={topUp.lineId} fields={topUp.fields} masked={topUp.masked} labels={recipientLabels} /> : null}
            </li>
          )
        })}
      </ul>
      {customer ? (
        <p data-testid="signed-in-as">{t("checkout.signedInAs", { email: customer.email })}</p>
      ) : (
        <p className="muted">
          <Link href={`/${countryCode}/account?next=/${countryCode}/checkout`}>{t("checkout.signInHint")}</Link>
        </p>
      )}
      {payment.mode === "stripe" ? (
        <StripeCheckout
          countryCode={countryCode}
          email={customer?.email ?? cart.email ?? ""}
          locked={Boolean(customer)}
          publishableKey={payment.publishableKey}
          options={payment.options}
          lang={lang}
          labels={stripeCheckoutLabels(t, amount)}
          blocked={blocked}
        />
      ) : (
        <CheckoutForm
          countryCode={countryCode}
          email={customer?.email ?? cart.email ?? ""}
          locked={Boolean(customer)}
          labels={{ email: t("checkout.email"), pay: t("checkout.pay", { amount }), note: t("checkout.paymentNote") }}
          blocked={blocked}
        />
      )}
    </div>
  )
}
