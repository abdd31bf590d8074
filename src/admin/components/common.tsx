import { Badge, Button, Container, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { useTranslation } from "react-i18next"
import { errorMessage, isNotFound, PAGE_SIZE } from "../lib/utils"
import type { Alert, RiskReason } from "../types"

const STATUS_COLOR: Record<string, "green" | "blue" | "orange" | "red" | "grey" | "purple"> = {
  available: "green",
  reserved: "orange",
  delivered: "blue",
  revealed: "purple",
  voided: "red",
  expired: "grey",
  importing: "orange",
  committed: "green",
  rejected: "red",
  failed: "red",
}

/** A code's or a batch's status as a coloured badge, in the admin's language. */
export const StatusBadge = ({ status }: { status: string }) => {
  const { t } = useTranslation()
  return (
    <Badge size="2xsmall" color={STATUS_COLOR[status] ?? "grey"} data-status={status}>
      {t(`virtualGoods.status.${status}`, { defaultValue: status })}
    </Badge>
  )
}

export const AlertBadges = ({ alerts }: { alerts: Alert[] }) => {
  const { t } = useTranslation()
  if (!alerts.length) return null
  return (
    <div className="flex flex-wrap gap-1">
      {alerts.map((a) => (
        <Badge key={a.id} size="2xsmall" color={a.kind === "low_stock" ? "red" : "orange"} data-alert={a.kind}>
          {t(`virtualGoods.alerts.${a.kind}`)}
        </Badge>
      ))}
    </div>
  )
}

/** What went wrong, what to do, and a retry button. */
export const LoadError = ({ error, onRetry }: { error: unknown; onRetry: () => void }) => {
  const { t } = useTranslation()
  return (
    <div className="flex items-center justify-between gap-4 px-6 py-4" role="alert">
      <Text className="text-ui-fg-error">{t("virtualGoods.common.loadError", { message: errorMessage(error) })}</Text>
      <Button size="small" variant="secondary" onClick={onRetry}>
        {t("virtualGoods.common.retry")}
      </Button>
    </div>
  )
}

export const Loading = () => {
  const { t } = useTranslation()
  return <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.common.loading")}</Text>
}

/** A horizontal progress bar (0–100). */
export const ProgressBar = ({ percent }: { percent: number }) => (
  <div className="h-2 w-full overflow-hidden rounded-full bg-ui-bg-subtle" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
    <div className="h-full rounded-full bg-ui-fg-interactive transition-all" style={{ width: `${Math.max(0, Math.min(100, percent))}%` }} />
  </div>
)

export const formatDate = (value: string | null | undefined, language: string) =>
  value ? new Date(value).toLocaleString(language.startsWith("zh") ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short" }) : "—"

/** The look of a link inside a page (Medusa's dashboard style). */
export const linkClass = "text-ui-fg-interactive hover:underline"

/** An amount as the API gives it (an exact decimal string) with its currency: "250.5 CNY". */
export const formatAmount = (amount: string | number, currency: string) => `${amount} ${currency.toUpperCase()}`

export const formatNumber = (n: number | null | undefined, language: string) =>
  n === null || n === undefined ? "—" : n.toLocaleString(language.startsWith("zh") ? "zh-CN" : "en-US")

/** What went wrong with an action, announced to screen readers; nothing when there is no problem. */
export const ErrorText = ({ children, className = "" }: { children: ReactNode; className?: string }) =>
  children ? (
    <Text className={`text-ui-fg-error ${className}`.trim()} role="alert">
      {children}
    </Text>
  ) : null

/** "1–20 of 57" with previous/next buttons, for lists paged by PAGE_SIZE; nothing when one page holds them all. */
export const Pager = ({ offset, count, onChange }: { offset: number; count: number; onChange: (offset: number) => void }) => {
  const { t } = useTranslation()
  if (count <= PAGE_SIZE) return null
  return (
    <div className="flex items-center justify-between px-6 py-3">
      <Text size="small" className="text-ui-fg-subtle">
        {t("virtualGoods.codes.page", { from: offset + 1, to: Math.min(offset + PAGE_SIZE, count), count })}
      </Text>
      <div className="flex gap-2">
        <Button size="small" variant="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - PAGE_SIZE))}>
          {t("virtualGoods.codes.previous")}
        </Button>
        <Button size="small" variant="secondary" disabled={offset + PAGE_SIZE >= count} onClick={() => onChange(offset + PAGE_SIZE)}>
          {t("virtualGoods.codes.nextPage")}
        </Button>
      </div>
    </div>
  )
}

/** The reasons of a risk decision: each matching rule's name and what it saw. */
export const RiskReasons = ({ reasons, className = "" }: { reasons: Pick<RiskReason, "rule_id" | "rule" | "message">[]; className?: string }) => (
  <ul className={className} data-col="reasons">
    {reasons.map((r) => (
      <li key={r.rule_id}>
        <Text size="small">
          <strong>{r.rule}</strong>: {r.message}
        </Text>
      </li>
    ))}
  </ul>
)

/**
 * What a detail page shows before its record: loading, "not found" (a 404), or the load error with a retry. Renders
 * nothing once the record is there.
 */
export const DetailState = ({ isLoading, error, notFound, onRetry }: { isLoading: boolean; error: unknown; notFound: string; onRetry: () => void }) => (
  <>
    {isLoading && (
      <Container className="p-0">
        <Loading />
      </Container>
    )}
    {isNotFound(error) && (
      <Container>
        <Text>{notFound}</Text>
      </Container>
    )}
    {!!error && !isNotFound(error) && (
      <Container className="p-0">
        <LoadError error={error} onRetry={onRetry} />
      </Container>
    )}
  </>
)
