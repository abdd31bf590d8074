import { redirect } from "next/navigation"
import { getI18n } from "@lib/i18n/server"
import CompletePayment from "@modules/checkout/complete-payment"
import { outcomeLabels } from "@modules/checkout/payment-labels"
import { cartIdOf, redirectStatusOf } from "@modules/checkout/payment-outcome"

export const dynamic = "force-dynamic"

/**
 * Where Stripe sends the shopper back after paying by redirect (Alipay, WeChat Pay on a phone, a bank's 3-D Secure
 * page): `?cart_id=…` (ours) and `redirect_status`, `payment_intent`, `payment_intent_client_secret` (Stripe's). The
 * cart is completed here: the order's confirmation when it is placed; otherwise "your payment is being processed"
 * (the codes are emailed once Stripe confirms it; the order can be looked up), or "the payment did not go through"
 * with the way back to the checkout — never a raw error.
 */
export default async function StripeReturnPage({
  params,
  searchParams,
}: {
  params: Promise<{ countryCode: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { countryCode } = await params
  const query = await searchParams
  const cartId = cartIdOf(query.cart_id)
  if (!cartId) redirect(`/${countryCode}/cart`)
  const { t } = await getI18n()
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{t("checkout.title")}</h1>
      <CompletePayment countryCode={countryCode} cartId={cartId} stripeStatus={redirectStatusOf(query.redirect_status)} labels={outcomeLabels(t)} />
    </div>
  )
}
