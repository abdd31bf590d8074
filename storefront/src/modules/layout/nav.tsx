import Link from "next/link"
import { retrieveCart } from "@lib/data/cart"
import { getI18n } from "@lib/i18n/server"
import LangSwitch from "./lang-switch"

export default async function Nav({ countryCode }: { countryCode: string }) {
  const { t, lang } = await getI18n()
  const cart = await retrieveCart()
  const count = cart?.items?.reduce((n, i) => n + i.quantity, 0) ?? 0
  return (
    <header className="nav">
      <div className="inner">
        <Link className="brand" href={`/${countryCode}`} data-testid="nav-store">
          {t("nav.store")}
        </Link>
        <Link href={`/${countryCode}/order-lookup`}>{t("nav.lookup")}</Link>
        <Link href={`/${countryCode}/account`} data-testid="nav-account">
          {t("nav.account")}
        </Link>
        <Link href={`/${countryCode}/cart`} data-testid="nav-cart">
          {t("nav.cart")} ({count})
        </Link>
        <LangSwitch lang={lang} />
      </div>
    </header>
  )
}
