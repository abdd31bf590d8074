import { getI18n } from "@lib/i18n/server"
import LookupForm from "@modules/virtual-goods/lookup-form"

export const dynamic = "force-dynamic"

/** Guests' order lookup: email + order number → a fresh link by email. This page never shows a code. */
export default async function OrderLookupPage() {
  const { t } = await getI18n()
  return (
    <div className="card">
      <h1 style={{ marginTop: 0 }}>{t("lookup.title")}</h1>
      <p className="muted">{t("lookup.text")}</p>
      <LookupForm labels={{ email: t("lookup.email"), number: t("lookup.number"), submit: t("lookup.submit"), sent: t("lookup.sent") }} />
    </div>
  )
}
