import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container, Drawer, Heading, Input, Label, Select, Switch, Table, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ErrorText, LoadError, Loading, RiskReasons, formatDate } from "../../../components/common"
import { errorMessage } from "../../../lib/api"
import { sdk } from "../../../lib/sdk"

type Rule = {
  id: string
  name: string
  kind: "velocity" | "order_amount" | "order_quantity" | "first_purchase" | "list"
  key: string | null
  measure: string | null
  window_seconds: number | null
  threshold: number | null
  list_type: string | null
  values: string[] | null
  action: "review" | "block"
  applies_to: "all" | "store" | "wholesale"
  enabled: boolean
}
type Reason = { rule_id: string; rule: string; action: string; message: string }
type Decision = {
  id: string
  subject_type: string
  subject_id: string
  order_id: string | null
  action: string
  reasons: Reason[]
  facts: Record<string, unknown>
  review_status: string | null
  reviewed_by: string | null
  review_note: string | null
  created_at: string
}

const BASE = "/admin/virtual-goods/risk"
const KINDS = ["velocity", "order_amount", "order_quantity", "first_purchase", "list"] as const
const KEYS = ["ip", "email", "email_domain", "customer", "agent", "device"] as const
const FACTS = ["ip", "device_id", "email", "customer_id", "agent_id", "amount", "quantity", "first_purchase"] as const

/** Risk control: the review queue (held orders with reasons and facts; approve or reject) and the rules. */
const RiskPage = () => {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-y-3">
      <ReviewQueue />
      <Rules />
      <Text size="small" className="px-1 text-ui-fg-subtle">
        {t("virtualGoods.risk.footnote")}
      </Text>
    </div>
  )
}

const ReviewQueue = () => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const [status, setStatus] = useState("pending")
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "risk", "decisions", status],
    queryFn: () =>
      sdk.client.fetch<{ risk_decisions: Decision[]; count: number }>(`${BASE}/decisions`, {
        query: status === "block" ? { action: "block", limit: 50 } : { review_status: status, limit: 50 },
      }),
  })
  const [rejecting, setRejecting] = useState<Decision | null>(null)
  const approve = useMutation({
    mutationFn: (d: Decision) => sdk.client.fetch(`${BASE}/decisions/${d.id}/approve`, { method: "POST", body: {} }),
    onSuccess: () => {
      toast.success(t("virtualGoods.risk.approved"))
      qc.invalidateQueries({ queryKey: ["virtual-goods", "risk"] })
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  const decisions = data?.risk_decisions ?? []
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h1">{t("virtualGoods.risk.queueTitle")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.risk.queueSubtitle")}
          </Text>
        </div>
        <div className="w-48">
          <Select value={status} onValueChange={setStatus}>
            <Select.Trigger aria-label={t("virtualGoods.risk.show")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {["pending", "approved", "rejected", "block"].map((s) => (
                <Select.Item key={s} value={s}>
                  {t(`virtualGoods.risk.review.${s}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !decisions.length && <Text className="px-6 py-8 text-center text-ui-fg-subtle">{t("virtualGoods.risk.queueEmpty")}</Text>}
      {!!decisions.length && (
        <Table data-testid="risk-decisions">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.when")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.order")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.reasons")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.facts")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.decision")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {decisions.map((d) => (
              <Table.Row key={d.id} data-decision={d.id}>
                <Table.Cell className="whitespace-nowrap">{formatDate(d.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>
                  {d.order_id ? <Link to={`/orders/${d.order_id}`}>{d.order_id}</Link> : <Text size="small">{t("virtualGoods.risk.noOrder")}</Text>}
                  {d.subject_type === "agent_order" && (
                    <Badge size="2xsmall" className="ml-2">
                      {t("virtualGoods.risk.wholesale")}
                    </Badge>
                  )}
                </Table.Cell>
                <Table.Cell>
                  <RiskReasons reasons={d.reasons} />
                </Table.Cell>
                <Table.Cell>
                  <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs" data-col="facts">
                    {FACTS.filter((f) => d.facts[f] !== undefined && d.facts[f] !== null).map((f) => (
                      <div key={f} className="contents">
                        <dt className="text-ui-fg-subtle">{t(`virtualGoods.risk.facts.${f}`)}</dt>
                        <dd>{String(d.facts[f])}</dd>
                      </div>
                    ))}
                  </dl>
                </Table.Cell>
                <Table.Cell>
                  {d.review_status === "pending" ? (
                    <div className="flex gap-2">
                      <Button size="small" isLoading={approve.isPending && approve.variables?.id === d.id} onClick={() => approve.mutate(d)}>
                        {t("virtualGoods.risk.approve")}
                      </Button>
                      <Button size="small" variant="danger" onClick={() => setRejecting(d)}>
                        {t("virtualGoods.risk.reject")}
                      </Button>
                    </div>
                  ) : (
                    <Text size="small" data-col="decided">
                      {d.review_status ? t(`virtualGoods.risk.review.${d.review_status}`) : t(`virtualGoods.risk.action.${d.action}`)}
                      {d.review_note ? ` — ${d.review_note}` : ""}
                    </Text>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {rejecting && <RejectDrawer decision={rejecting} onClose={() => setRejecting(null)} />}
    </Container>
  )
}

const RejectDrawer = ({ decision, onClose }: { decision: Decision; onClose: () => void }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [note, setNote] = useState("")
  const reject = useMutation({
    mutationFn: () => sdk.client.fetch(`${BASE}/decisions/${decision.id}/reject`, { method: "POST", body: { note: note.trim() } }),
    onSuccess: () => {
      toast.success(t("virtualGoods.risk.rejected"))
      qc.invalidateQueries({ queryKey: ["virtual-goods", "risk"] })
      onClose()
    },
  })
  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{t("virtualGoods.risk.rejectTitle", { order: decision.order_id })}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-3">
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.risk.rejectHelp")}
          </Text>
          <Label htmlFor="risk-reject-note">{t("virtualGoods.risk.rejectNote")}</Label>
          <Textarea id="risk-reject-note" value={note} onChange={(e) => setNote(e.target.value)} />
          {reject.error && <ErrorText>{errorMessage(reject.error)}</ErrorText>}
        </Drawer.Body>
        <Drawer.Footer>
          <Button variant="secondary" onClick={onClose}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button variant="danger" disabled={note.trim().length < 3} isLoading={reject.isPending} onClick={() => reject.mutate()}>
            {t("virtualGoods.risk.reject")}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const describeRule = (r: Rule, t: (k: string, o?: any) => string) => {
  switch (r.kind) {
    case "velocity":
      return t("virtualGoods.risk.describe.velocity", { measure: t(`virtualGoods.risk.measure.${r.measure}`), key: r.key, window: r.window_seconds, threshold: r.threshold })
    case "order_amount":
    case "order_quantity":
      return t(`virtualGoods.risk.describe.${r.kind}`, { threshold: r.threshold })
    case "first_purchase":
      return t("virtualGoods.risk.describe.first_purchase", { measure: t(`virtualGoods.risk.measure.${r.measure}`), threshold: r.threshold })
    case "list":
      return t(`virtualGoods.risk.describe.${r.list_type === "allow" ? "allow" : "block"}`, { key: r.key, values: (r.values ?? []).join(", ") })
  }
}

const Rules = () => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "risk", "rules"],
    queryFn: () => sdk.client.fetch<{ risk_rules: Rule[] }>(`${BASE}/rules`),
  })
  const invalidate = () => qc.invalidateQueries({ queryKey: ["virtual-goods", "risk", "rules"] })
  const toggle = useMutation({
    mutationFn: (r: Rule) => sdk.client.fetch(`${BASE}/rules/${r.id}`, { method: "POST", body: { enabled: !r.enabled } }),
    onSuccess: invalidate,
    onError: (e) => toast.error(errorMessage(e)),
  })
  const remove = useMutation({
    mutationFn: (r: Rule) => sdk.client.fetch(`${BASE}/rules/${r.id}`, { method: "DELETE" }),
    onSuccess: invalidate,
    onError: (e) => toast.error(errorMessage(e)),
  })
  const rules = data?.risk_rules ?? []
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h2">{t("virtualGoods.risk.rulesTitle")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.risk.rulesSubtitle")}
          </Text>
        </div>
        <CreateRule />
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !rules.length && <Text className="px-6 py-8 text-center text-ui-fg-subtle">{t("virtualGoods.risk.rulesEmpty")}</Text>}
      {!!rules.length && (
        <Table data-testid="risk-rules">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.rule")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.condition")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.action")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.appliesTo")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.risk.columns.enabled")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rules.map((r) => (
              <Table.Row key={r.id} data-rule={r.name}>
                <Table.Cell>{r.name}</Table.Cell>
                <Table.Cell data-col="condition">{describeRule(r, t)}</Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall" color={r.kind === "list" && r.list_type === "allow" ? "green" : r.action === "block" ? "red" : "orange"}>
                    {r.kind === "list" && r.list_type === "allow" ? t("virtualGoods.risk.action.allow") : t(`virtualGoods.risk.action.${r.kind === "list" ? "block" : r.action}`)}
                  </Badge>
                </Table.Cell>
                <Table.Cell>{t(`virtualGoods.risk.appliesTo.${r.applies_to}`)}</Table.Cell>
                <Table.Cell>
                  <Switch checked={r.enabled} aria-label={t("virtualGoods.risk.columns.enabled")} onCheckedChange={() => toggle.mutate(r)} />
                </Table.Cell>
                <Table.Cell className="text-right">
                  <Button size="small" variant="transparent" onClick={() => remove.mutate(r)}>
                    {t("virtualGoods.risk.delete")}
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

type Draft = { name: string; kind: Rule["kind"]; key: string; measure: string; window_seconds: string; threshold: string; list_type: string; values: string; action: string; applies_to: string }
const EMPTY: Draft = { name: "", kind: "velocity", key: "ip", measure: "count", window_seconds: "600", threshold: "", list_type: "block", values: "", action: "review", applies_to: "all" }

const CreateRule = () => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [d, setD] = useState<Draft>(EMPTY)
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }))
  const create = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { name: d.name.trim(), kind: d.kind, action: d.action, applies_to: d.applies_to }
      if (d.kind === "velocity" || d.kind === "list") body.key = d.key
      if (d.kind === "velocity" || d.kind === "first_purchase") body.measure = d.kind === "first_purchase" && d.measure === "count" ? "quantity" : d.measure
      if (d.kind === "velocity") body.window_seconds = Number(d.window_seconds)
      if (d.kind !== "list") body.threshold = d.threshold === "" ? undefined : Number(d.threshold)
      if (d.kind === "list") {
        body.list_type = d.list_type
        body.values = d.values.split(/[\n,]/).map((v) => v.trim()).filter(Boolean)
      }
      return sdk.client.fetch(`${BASE}/rules`, { method: "POST", body })
    },
    onSuccess: () => {
      toast.success(t("virtualGoods.risk.created", { name: d.name.trim() }))
      qc.invalidateQueries({ queryKey: ["virtual-goods", "risk", "rules"] })
      setOpen(false)
      setD(EMPTY)
    },
  })
  const choose = (label: string, value: string, onChange: (v: string) => void, options: readonly string[], prefix: string) => (
    <div className="flex flex-col gap-y-1">
      <Label>{label}</Label>
      <Select value={value} onValueChange={onChange}>
        <Select.Trigger aria-label={label}>
          <Select.Value />
        </Select.Trigger>
        <Select.Content>
          {options.map((o) => (
            <Select.Item key={o} value={o}>
              {t(`${prefix}.${o}`)}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
    </div>
  )
  return (
    <Drawer open={open} onOpenChange={setOpen}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary">
          {t("virtualGoods.risk.create")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{t("virtualGoods.risk.createTitle")}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-3 overflow-y-auto">
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="risk-rule-name">{t("virtualGoods.risk.fields.name")}</Label>
            <Input id="risk-rule-name" value={d.name} onChange={(e) => set("name")(e.target.value)} />
          </div>
          {choose(t("virtualGoods.risk.fields.kind"), d.kind, (v) => set("kind")(v), KINDS, "virtualGoods.risk.kind")}
          {(d.kind === "velocity" || d.kind === "list") && choose(t("virtualGoods.risk.fields.key"), d.key, set("key"), KEYS, "virtualGoods.risk.key")}
          {(d.kind === "velocity" || d.kind === "first_purchase") &&
            choose(t("virtualGoods.risk.fields.measure"), d.measure, set("measure"), d.kind === "velocity" ? (["count", "amount", "quantity"] as const) : (["amount", "quantity"] as const), "virtualGoods.risk.measure")}
          {d.kind === "velocity" && (
            <div className="flex flex-col gap-y-1">
              <Label htmlFor="risk-rule-window">{t("virtualGoods.risk.fields.window")}</Label>
              <Input id="risk-rule-window" type="number" min={1} value={d.window_seconds} onChange={(e) => set("window_seconds")(e.target.value)} />
            </div>
          )}
          {d.kind !== "list" && (
            <div className="flex flex-col gap-y-1">
              <Label htmlFor="risk-rule-threshold">{t("virtualGoods.risk.fields.threshold")}</Label>
              <Input id="risk-rule-threshold" type="number" min={0} value={d.threshold} onChange={(e) => set("threshold")(e.target.value)} />
            </div>
          )}
          {d.kind === "list" && (
            <>
              {choose(t("virtualGoods.risk.fields.listType"), d.list_type, set("list_type"), ["block", "allow"] as const, "virtualGoods.risk.listType")}
              <div className="flex flex-col gap-y-1">
                <Label htmlFor="risk-rule-values">{t("virtualGoods.risk.fields.values")}</Label>
                <Textarea id="risk-rule-values" value={d.values} onChange={(e) => set("values")(e.target.value)} />
              </div>
            </>
          )}
          {!(d.kind === "list") && choose(t("virtualGoods.risk.fields.action"), d.action, set("action"), ["review", "block"] as const, "virtualGoods.risk.action")}
          {choose(t("virtualGoods.risk.fields.appliesTo"), d.applies_to, set("applies_to"), ["all", "store", "wholesale"] as const, "virtualGoods.risk.appliesTo")}
          {create.error && <ErrorText>{errorMessage(create.error)}</ErrorText>}
        </Drawer.Body>
        <Drawer.Footer>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button disabled={!d.name.trim()} isLoading={create.isPending} onClick={() => create.mutate()}>
            {t("virtualGoods.risk.create")}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.risk.menu", translationNs: "translation" })

export default RiskPage
