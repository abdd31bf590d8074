import { Badge } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { SupplierFindingKind, SupplierFindingStatus, SupplierHealth, SupplierOrderStatus, SupplierStatus } from "../lib"

type Color = "green" | "blue" | "orange" | "red" | "grey" | "purple"

const SUPPLIER_STATUS_COLOR: Record<SupplierStatus, Color> = { active: "green", disabled: "grey" }
const HEALTH_COLOR: Record<SupplierHealth, Color> = { unknown: "grey", ok: "green", failing: "red" }
const ORDER_STATUS_COLOR: Record<SupplierOrderStatus, Color> = {
  pending: "grey",
  submitting: "blue",
  accepted: "blue",
  succeeded: "green",
  failed: "red",
  unknown: "orange",
}

/** A supplier's status: active or disabled. */
export const SupplierStatusBadge = ({ status }: { status: SupplierStatus }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={SUPPLIER_STATUS_COLOR[status] ?? "grey"} data-status={status}>
      {t(`virtualGoods.suppliers.status.${status}`, { defaultValue: status })}
    </Badge>
  )
}

/** What the last call to a supplier saw: ok, failing, or not known yet. */
export const HealthBadge = ({ health }: { health: SupplierHealth }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={HEALTH_COLOR[health] ?? "grey"} data-health={health}>
      {t(`virtualGoods.suppliers.health.${health}`, { defaultValue: health })}
    </Badge>
  )
}

/** A supplier order's state. */
export const OrderStatusBadge = ({ status }: { status: SupplierOrderStatus }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={ORDER_STATUS_COLOR[status] ?? "grey"} data-status={status}>
      {t(`virtualGoods.suppliers.orderStatus.${status}`, { defaultValue: status })}
    </Badge>
  )
}

/** A finding's status: open (needs a look) or resolved. */
export const FindingStatusBadge = ({ status }: { status: SupplierFindingStatus }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={status === "open" ? "orange" : "green"} data-status={status}>
      {t(`virtualGoods.suppliers.findingStatus.${status}`, { defaultValue: status })}
    </Badge>
  )
}

/** What kind of finding it is, in words. */
export const FindingKindLabel = ({ kind }: { kind: SupplierFindingKind }) => {
  const { t } = useTranslation()
  return <span data-kind={kind}>{t(`virtualGoods.suppliers.findingKinds.${kind}`, { defaultValue: kind })}</span>
}
