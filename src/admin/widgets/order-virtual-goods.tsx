import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Copy, Drawer, Heading, Label, Table, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, LoadError, Loading, StatusBadge, formatDate } from "../components/common"
import { errorMessage } from "../lib/api"
import { sdk } from "../lib/sdk"

type OrderCode = { id: string; mask: string; status: string; delivered_at: string | null; reveal_count: number }
type Reveal = { id: string; actor_type: string; actor_id: string | null; reason: string | null; code_ids: string[] | null; created_at: string }
type OrderCodes = {
  card_codes: OrderCode[]
  delivery: { status: string; attempts: number; last_error: string | null } | null
  reveals: Reveal[]
}
type Revealed = { id: string; code: string; password?: string | null }

const BASE = "/admin/virtual-goods"
const deliveryColor = (s: string) => (s === "delivered" ? "green" : s === "held" ? "red" : "grey")

/**
 * The order's card codes (masked) with their delivery state and reveal history; an admin can reveal a code (reason
 * required, audited), void & reissue one (confirmed, reason required) and send the delivery notification again.
 */
const OrderVirtualGoodsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const prompt = usePrompt()
  const key = ["virtual-goods", "order-codes", order.id]
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: key,
    queryFn: () => sdk.client.fetch<OrderCodes>(`${BASE}/orders/${order.id}/codes`),
  })
  const [revealing, setRevealing] = useState<OrderCode | null>(null)
  const [reissuing, setReissuing] = useState<OrderCode | null>(null)

  const resend = useMutation({
    mutationFn: () => sdk.client.fetch<{ sent: boolean }>(`${BASE}/orders/${order.id}/resend`, { method: "POST", body: {} }),
    onSuccess: (r) => (r.sent ? toast.success(t("virtualGoods.order.resent")) : toast.warning(t("virtualGoods.order.resendFailed"))),
    onError: (e) => toast.error(errorMessage(e)),
  })

  if (data && !data.card_codes.length && !data.delivery) return null
  const codeMask = new Map((data?.card_codes ?? []).map((c) => [c.id, c.mask]))

  return (
    <Container className="divide-y p-0" data-testid="order-virtual-goods">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div className="flex items-center gap-2">
          <Heading level="h2">{t("virtualGoods.order.title")}</Heading>
          {data?.delivery && (
            <Badge size="2xsmall" color={deliveryColor(data.delivery.status)} data-delivery={data.delivery.status}>
              {data.delivery.status}
            </Badge>
          )}
        </div>
        {!!data?.card_codes.some((c) => c.status === "delivered" || c.status === "revealed") && (
          <Button
            size="small"
            variant="secondary"
            isLoading={resend.isPending}
            onClick={async () => {
              const ok = await prompt({
                title: t("virtualGoods.order.resend"),
                description: order.email ?? "",
                confirmText: t("virtualGoods.order.resend"),
                cancelText: t("virtualGoods.common.cancel"),
                variant: "confirmation",
              })
              if (ok) resend.mutate()
            }}
          >
            {t("virtualGoods.order.resend")}
          </Button>
        )}
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data?.delivery?.last_error && data.delivery.status === "held" && (
        <Text className="px-6 py-4 text-ui-fg-error">{t("virtualGoods.order.held", { reason: data.delivery.last_error })}</Text>
      )}
      {!!data?.card_codes.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.order.columns.code")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.order.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.order.columns.delivered")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.order.columns.reveals")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.card_codes.map((c) => (
              <Table.Row key={c.id} data-code={c.id}>
                <Table.Cell className="font-mono">{c.mask}</Table.Cell>
                <Table.Cell>
                  <StatusBadge status={c.status} />
                </Table.Cell>
                <Table.Cell>{formatDate(c.delivered_at, i18n.language)}</Table.Cell>
                <Table.Cell className="text-right" data-col="reveals">{c.reveal_count}</Table.Cell>
                <Table.Cell>
                  {(c.status === "delivered" || c.status === "revealed") && (
                    <div className="flex justify-end gap-2">
                      <Button size="small" variant="transparent" onClick={() => setRevealing(c)}>
                        {t("virtualGoods.order.reveal")}
                      </Button>
                      <Button size="small" variant="transparent" className="text-ui-fg-error" onClick={() => setReissuing(c)}>
                        {t("virtualGoods.order.reissue")}
                      </Button>
                    </div>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {data && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="reveal-history">
          <Text weight="plus" size="small">
            {t("virtualGoods.order.history")}
          </Text>
          {!data.reveals.length && (
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.order.historyEmpty")}
            </Text>
          )}
          {data.reveals.map((r) => (
            <div key={r.id} className="flex flex-col" data-reveal={r.id}>
              <Text size="small">
                {(r.code_ids ?? []).map((id) => codeMask.get(id) ?? id).join(", ")} — {r.reason ?? t("virtualGoods.order.noReason")}
              </Text>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {t("virtualGoods.order.by", { actor: `${r.actor_type}${r.actor_id ? ` ${r.actor_id}` : ""}`, when: formatDate(r.created_at, i18n.language) })}
              </Text>
            </div>
          ))}
        </div>
      )}
      <ReasonDrawer
        code={revealing}
        title={revealing ? t("virtualGoods.order.revealTitle", { mask: revealing.mask }) : ""}
        hint={t("virtualGoods.order.revealHint")}
        action={t("virtualGoods.order.reveal")}
        onClose={() => {
          setRevealing(null)
          qc.invalidateQueries({ queryKey: key })
        }}
        run={(code, reason) =>
          sdk.client.fetch<{ card_code: Revealed }>(`${BASE}/codes/${code.id}/reveal`, { method: "POST", body: { reason } }).then((r) => r.card_code)
        }
      />
      <ReasonDrawer
        code={reissuing}
        title={reissuing ? t("virtualGoods.order.reissueTitle", { mask: reissuing.mask }) : ""}
        hint={t("virtualGoods.order.reissueHint")}
        action={t("virtualGoods.order.reissue")}
        destructive
        onClose={() => setReissuing(null)}
        run={async (code, reason) => {
          const r = await sdk.client.fetch<{ card_code: OrderCode; voided_card_code: OrderCode }>(`${BASE}/codes/${code.id}/reissue`, {
            method: "POST",
            body: { reason },
          })
          toast.success(t("virtualGoods.order.reissued", { old: r.voided_card_code.mask, fresh: r.card_code.mask }))
          await qc.invalidateQueries({ queryKey: key })
          setReissuing(null)
          return null
        }}
      />
    </Container>
  )
}

/**
 * A drawer asking for a reason (at least 3 characters) before an audited action. For a reveal it then shows the code
 * (with a copy button) until it is closed; nothing of it is kept once closed.
 */
const ReasonDrawer = ({
  code,
  title,
  hint,
  action,
  destructive,
  onClose,
  run,
}: {
  code: OrderCode | null
  title: string
  hint: string
  action: string
  destructive?: boolean
  onClose: () => void
  run: (code: OrderCode, reason: string) => Promise<Revealed | null>
}) => {
  const { t } = useTranslation()
  const [reason, setReason] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [revealed, setRevealed] = useState<Revealed | null>(null)
  const close = () => {
    setReason("")
    setProblem(null)
    setRevealed(null)
    onClose()
  }
  const submit = async () => {
    if (!code) return
    if (reason.trim().length < 3) {
      setProblem(t("virtualGoods.order.reasonTooShort"))
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const r = await run(code, reason.trim())
      if (r) setRevealed(r)
      else close()
    } catch (e) {
      setProblem(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Drawer open={!!code} onOpenChange={(o) => !o && close()}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{title}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4">
          <Text size="small" className="text-ui-fg-subtle">
            {hint}
          </Text>
          {!revealed && (
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-reason">{t("virtualGoods.order.reason")}</Label>
              <Textarea id="vg-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          )}
          {revealed && (
            <div className="flex flex-col gap-y-2" data-testid="revealed-code">
              <Label>{t("virtualGoods.order.revealed")}</Label>
              <div className="flex items-center gap-2">
                <Text className="font-mono" data-value>
                  {revealed.code}
                </Text>
                <Copy content={revealed.code} />
              </div>
              {revealed.password && (
                <>
                  <Label>{t("virtualGoods.order.password")}</Label>
                  <Text className="font-mono">{revealed.password}</Text>
                </>
              )}
            </div>
          )}
          <ErrorText>{problem}</ErrorText>
        </Drawer.Body>
        <Drawer.Footer>
          <Button size="small" variant="secondary" onClick={close}>
            {revealed ? t("virtualGoods.common.close") : t("virtualGoods.common.cancel")}
          </Button>
          {!revealed && (
            <Button size="small" variant={destructive ? "danger" : "primary"} onClick={submit} isLoading={busy}>
              {action}
            </Button>
          )}
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderVirtualGoodsWidget
