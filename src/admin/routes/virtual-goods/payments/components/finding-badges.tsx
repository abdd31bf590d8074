import { Badge } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { Finding } from "../../../../types"

/** A finding's status: open (needs a look) or resolved. */
export const FindingStatusBadge = ({ status }: { status: Finding["status"] }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={status === "open" ? "orange" : "green"} data-status={status}>
      {t(`virtualGoods.payments.findingStatus.${status}`, { defaultValue: status })}
    </Badge>
  )
}

/** What kind of finding it is, in words. */
export const FindingKindLabel = ({ kind }: { kind: Finding["kind"] }) => {
  const { t } = useTranslation()
  return <span data-kind={kind}>{t(`virtualGoods.payments.kinds.${kind}`, { defaultValue: kind })}</span>
}
