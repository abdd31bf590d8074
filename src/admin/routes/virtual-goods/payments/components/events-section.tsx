import { Badge, Container, Input } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { usePaymentEvents } from "../../../../hooks/api/payments"
import { PAGE_SIZE } from "../../../../lib/utils"
import { PAYMENT_EVENT_STATUSES, type PaymentEvent, type PaymentEventFilters } from "../../../../types"
import { eventsQuery } from "../lib"

const ALL = "all"
const COLOR: Record<PaymentEvent["status"], "green" | "blue" | "grey" | "red"> = { received: "blue", processed: "green", ignored: "grey", failed: "red" }

/** The payment providers' webhook events as received (signature checked) and handled, newest first. */
export const EventsSection = () => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState<PaymentEventFilters["status"]>("")
  const [search, setSearch] = useState("")
  const [intent, setIntent] = useState("")
  const [offset, setOffset] = useState(0)
  useEffect(() => {
    const timer = setTimeout(() => {
      setOffset(0)
      setIntent(search.trim())
    }, 250)
    return () => clearTimeout(timer)
  }, [search])
  const { data, isLoading, error, refetch } = usePaymentEvents(eventsQuery({ status, payment_intent_id: intent }, offset, PAGE_SIZE))
  const events = data?.events ?? []
  const columns: Column<PaymentEvent>[] = [
    { header: t("virtualGoods.payments.events.columns.type"), col: "type", cell: (e) => e.type },
    { header: t("virtualGoods.payments.events.columns.event"), col: "event", className: "font-mono text-xs", cell: (e) => e.event_id },
    {
      header: t("virtualGoods.payments.events.columns.status"),
      col: "status",
      cell: (e) => (
        <Badge size="2xsmall" color={COLOR[e.status] ?? "grey"} data-status={e.status}>
          {t(`virtualGoods.payments.events.status.${e.status}`, { defaultValue: e.status })}
        </Badge>
      ),
    },
    { header: t("virtualGoods.payments.events.columns.attempts"), align: "right", col: "attempts", cell: (e) => e.attempts },
    { header: t("virtualGoods.payments.events.columns.lastError"), col: "last-error", className: "text-ui-fg-error", cell: (e) => e.last_error ?? "—" },
    { header: t("virtualGoods.payments.events.columns.paymentIntent"), col: "payment-intent", className: "font-mono text-xs", cell: (e) => e.payment_intent_id ?? "—" },
    { header: t("virtualGoods.payments.events.columns.received"), className: "whitespace-nowrap", cell: (e) => formatDate(e.received_at, i18n.language) },
    { header: t("virtualGoods.payments.events.columns.processed"), className: "whitespace-nowrap", cell: (e) => formatDate(e.processed_at, i18n.language) },
  ]
  const filtered = !!status || !!intent
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("virtualGoods.payments.events.title")}
        hint={t("virtualGoods.payments.events.subtitle")}
        actions={
          <div className="flex items-center gap-2">
            <Input
              type="search"
              size="small"
              className="w-56"
              placeholder={t("virtualGoods.payments.events.searchIntent")}
              aria-label={t("virtualGoods.payments.events.searchIntent")}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <SelectField
              showLabel={false}
              size="small"
              triggerClassName="w-40"
              label={t("virtualGoods.payments.events.filterStatus")}
              value={status || ALL}
              onChange={(v) => {
                setOffset(0)
                setStatus(PAYMENT_EVENT_STATUSES.find((s) => s === v) ?? "")
              }}
              options={[
                { value: ALL, label: t("virtualGoods.payments.events.allStatuses") },
                ...PAYMENT_EVENT_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.payments.events.status.${s}`) })),
              ]}
            />
          </div>
        }
      />
      <DataTable
        testId="payment-events"
        columns={columns}
        rows={events}
        rowKey={(e) => e.id}
        rowProps={(e) => ({ "data-event": e.event_id, "data-status": e.status })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !events.length && (filtered ? t("virtualGoods.payments.events.noMatch") : t("virtualGoods.payments.events.empty"))}
        emptyCentered
        pagination={{ offset, count: data?.count ?? 0, onChange: setOffset }}
      />
    </Container>
  )
}
