import { lookupGuestLink, revealGuestLink } from "@lib/data/virtual-goods"
import { DEFAULT_COUNTRY } from "@lib/config"
import { formatDate } from "@lib/i18n"
import { getI18n } from "@lib/i18n/server"
import GuestReveal from "@modules/virtual-goods/guest-reveal"
import { codeLabels, revealLabels } from "@modules/order/code-labels"
import Nav from "@modules/layout/nav"

export const dynamic = "force-dynamic"

/**
 * The guest link's page (the `reveal_url` the email points to): the order's codes masked, the link's uses left and
 * expiry, and a deliberate reveal that spends one use. Opening the page spends nothing.
 */
export default async function GuestRevealPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const { t, lang } = await getI18n()
  const link = await lookupGuestLink(decodeURIComponent(token))
  return (
    <>
      <Nav countryCode={DEFAULT_COUNTRY} />
      <main>
        <div className="card">
          <h1 style={{ marginTop: 0 }}>{t("reveal.title")}</h1>
          {link ? (
            <>
              <p data-testid="uses-left">{t("reveal.usesLeft", { n: link.uses_left })}</p>
              <p className="muted" data-testid="link-expires">
                {t("reveal.expires", { date: formatDate(link.expires_at, lang) })}
              </p>
              <GuestReveal
                reveal={revealGuestLink.bind(null, decodeURIComponent(token))}
                codes={link.card_codes}
                labels={revealLabels(t)}
                voucher={{ labels: codeLabels(t), lang }}
              />
            </>
          ) : (
            <p className="error" data-testid="link-invalid">
              {t("reveal.invalid")}
            </p>
          )}
        </div>
      </main>
    </>
  )
}
