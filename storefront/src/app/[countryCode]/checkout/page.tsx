import { redirect } from "next/navigation"
import Link from "next/link"
import { retrieveCart } from "@lib/data/cart"
import { retrieveCustomer } from "@lib/data/customer"
import { formatAmount } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import CheckoutForm from "@modules/checkout/checkout-form"

export const dynamic = "force-dynamic"

/** Checkout for virtual goods: no address, no shipping — an email (or the signed-in customer's), then pay. */
export default async function CheckoutPage({ params }: { params: Promise<{ countryCode: string }> }) {
  const { countryCode } = await params
  const { t, lang } = await getI18n()
  const cart = await retrieveCart()
  if (!cart?.items?.length) redirect(`/${countryCode}/cart`)
  const customer = await retrieveCustomer()
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{t("checkout.title")}</h1>
      <ul>
        {cart.items.map((i) => (
          <li key={i.id}>
            {i.product_title} × {i.quantity}
          </li>
        ))}
      </ul>
      {customer ? (
        <p data-testid="signed-in-as">{t("checkout.signedInAs", { email: customer.email })}</p>
      ) : (
        <p className="muted">
          <Link href={`/${countryCode}/account?next=/${countryCode}/checkout`}>{t("checkout.signInHint")}</Link>
        </p>
      )}
      <CheckoutForm
        countryCode={countryCode}
        email={customer?.email ?? cart.email ?? ""}
        locked={Boolean(customer)}
        labels={{ email: t("checkout.email"), pay: t("checkout.pay", { amount: formatAmount(cart.total ?? 0, cart.currency_code, lang) }), note: t("checkout.paymentNote") }}
      />
    </div>
  )
}
