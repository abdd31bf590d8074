import { listCustomerCodes, listCustomerGifts } from "@lib/data/virtual-goods"
import { retrieveCustomer } from "@lib/data/customer"
import { formatDate } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import AuthForms from "@modules/account/auth-forms"
import SignOut from "@modules/account/sign-out"
import CodesList from "@modules/order/codes-list"
import { codeLabels } from "@modules/order/code-labels"

export const dynamic = "force-dynamic"

/** The customer's account: every code they bought (status, expiry, reveal), or the sign-in and registration forms. */
export default async function AccountPage({ params, searchParams }: { params: Promise<{ countryCode: string }>; searchParams: Promise<{ next?: string }> }) {
  const { countryCode } = await params
  const { next } = await searchParams
  const { t, lang } = await getI18n()
  const customer = await retrieveCustomer()
  if (!customer) {
    return (
      <AuthForms
        countryCode={countryCode}
        next={next && next.startsWith("/") && !next.startsWith("//") ? next : ""}
        labels={{
          signIn: t("account.signIn"),
          register: t("account.register"),
          email: t("account.email"),
          password: t("account.password"),
          firstName: t("account.firstName"),
          badLogin: t("account.badLogin"),
          exists: t("account.exists"),
        }}
      />
    )
  }
  const [orders, gifts] = await Promise.all([listCustomerCodes(), listCustomerGifts()])
  const labels = codeLabels(t)
  return (
    <div className="card">
      <div className="row">
        <h1 style={{ marginTop: 0 }}>{t("account.title")}</h1>
        <SignOut countryCode={countryCode} label={t("account.signOut")} />
      </div>
      <p className="muted" data-testid="account-email">{customer.email}</p>
      {gifts.length ? (
        <>
          <h2>{t("account.gifts")}</h2>
          {gifts.map((gift) => (
            <section key={gift.id} data-testid="account-gift" style={{ marginBottom: 24 }}>
              <h3>
                {t("account.giftFrom", { campaign: gift.campaign_name ?? "" })} <span className="muted">· {formatDate(gift.created_at, lang)}</span>
              </h3>
              <CodesList giftId={gift.id} codes={gift.card_codes} labels={labels} lang={lang} />
            </section>
          ))}
        </>
      ) : null}
      <h2>{t("account.orders")}</h2>
      {orders.length ? (
        orders.map(({ order, codes }) => (
          <section key={order.id} data-testid="account-order" style={{ marginBottom: 24 }}>
            <h3>
              {t("order.title", { n: order.display_id ?? "" })} <span className="muted">· {formatDate(order.created_at as string, lang)}</span>
            </h3>
            <CodesList orderId={order.id} codes={codes} labels={labels} lang={lang} />
          </section>
        ))
      ) : (
        <p>{t("account.noOrders")}</p>
      )}
    </div>
  )
}
