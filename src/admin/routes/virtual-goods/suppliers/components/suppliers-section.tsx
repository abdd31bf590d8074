import { Button, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { useCheckSupplier, useReconcileSupplier, useSetSupplierStatus, useSuppliers } from "../../../../hooks/api/suppliers"
import { errorMessage } from "../../../../lib/utils"
import { formatMoney } from "../../payments/lib"
import { reconciliationCounts, type Supplier, type SupplierReconciliation } from "../lib"
import { HealthBadge, SupplierStatusBadge } from "./badges"

/** What the last "Reconcile now" answered, under the table until another one runs. */
const ReconciliationSummary = ({ name, result }: { name: string; result: SupplierReconciliation }) => {
  const { t } = useTranslation()
  const { created, known } = reconciliationCounts(result)
  return (
    <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="supplier-reconciliation" data-supplier={result.supplier_id}>
      <Text size="small" weight="plus">
        {t("virtualGoods.suppliers.reconciliation.title", { name })}
      </Text>
      <Text size="small" data-col="balance">
        {t("virtualGoods.suppliers.reconciliation.balance", { balance: result.balance ?? t("virtualGoods.suppliers.reconciliation.noBalance") })}
      </Text>
      <Text size="small" data-col="compared">
        {result.compared === null
          ? t("virtualGoods.suppliers.reconciliation.cannotList")
          : t("virtualGoods.suppliers.reconciliation.compared", { n: result.compared })}
      </Text>
      <Text size="small" data-col="findings">
        {t("virtualGoods.suppliers.reconciliation.findings", { created, known })}
      </Text>
      <ErrorText>{result.error && t("virtualGoods.suppliers.reconciliation.error", { message: result.error })}</ErrorText>
    </div>
  )
}

/**
 * The suppliers with their adapter, status, health (and the last error), balance and when they were last reached; per
 * row: check now (ping and balance), reconcile now (the summary stays under the table), enable or disable. Credentials
 * show only as the names of the fields set.
 */
export const SuppliersSection = () => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useSuppliers()
  const check = useCheckSupplier()
  const reconcile = useReconcileSupplier()
  const setStatus = useSetSupplierStatus()
  const [reconciled, setReconciled] = useState<{ name: string; result: SupplierReconciliation } | null>(null)
  const suppliers = data?.suppliers ?? []

  const runCheck = (s: Supplier) =>
    check.mutate(s.id, {
      onSuccess: ({ ok, detail, balance }) => {
        if (!ok) toast.error(t("virtualGoods.suppliers.checkFailed", { name: s.name, detail: detail ?? "—" }))
        else if (balance) toast.success(t("virtualGoods.suppliers.checkedBalance", { name: s.name, balance: formatMoney(balance.amount, balance.currency_code) }))
        else toast.success(t("virtualGoods.suppliers.checked", { name: s.name }))
      },
      onError: (e) => toast.error(errorMessage(e)),
    })
  const runReconcile = (s: Supplier) =>
    reconcile.mutate(s.id, {
      onSuccess: ({ reconciliation }) => {
        setReconciled({ name: s.name, result: reconciliation })
        if (reconciliation.error) toast.error(t("virtualGoods.suppliers.reconciliation.error", { message: reconciliation.error }))
        else toast.success(t("virtualGoods.suppliers.reconciliation.done", { name: s.name }))
      },
      onError: (e) => toast.error(errorMessage(e)),
    })
  const toggle = (s: Supplier) => {
    const status = s.status === "active" ? "disabled" : "active"
    setStatus.mutate(
      { id: s.id, status },
      {
        onSuccess: () => toast.success(t(status === "active" ? "virtualGoods.suppliers.enabled" : "virtualGoods.suppliers.disabled", { name: s.name })),
        onError: (e) => toast.error(errorMessage(e)),
      }
    )
  }
  const busy = (pending: boolean, variables: unknown, id: string) => pending && variables === id

  const columns: Column<Supplier>[] = [
    {
      header: t("virtualGoods.suppliers.columns.name"),
      col: "name",
      cell: (s) => (
        <div className="flex flex-col">
          <Text size="small" weight="plus">
            {s.name}
          </Text>
          <Text size="xsmall" className="font-mono text-ui-fg-subtle">
            {s.base_url}
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle" data-col="credentials">
            {s.credential_fields.length
              ? t("virtualGoods.suppliers.credentialNames", { names: s.credential_fields.join(", ") })
              : t("virtualGoods.suppliers.noCredentials")}
          </Text>
        </div>
      ),
    },
    { header: t("virtualGoods.suppliers.columns.adapter"), col: "adapter", cell: (s) => t(`virtualGoods.suppliers.adapters.${s.adapter}`, { defaultValue: s.adapter }) },
    { header: t("virtualGoods.suppliers.columns.status"), cell: (s) => <SupplierStatusBadge status={s.status} /> },
    {
      header: t("virtualGoods.suppliers.columns.health"),
      col: "health",
      cell: (s) => (
        <div className="flex flex-col gap-y-1">
          <HealthBadge health={s.health} />
          {s.last_error && (
            <Text size="xsmall" className="max-w-xs break-words text-ui-fg-error" data-col="last-error">
              {s.last_error}
            </Text>
          )}
        </div>
      ),
    },
    {
      header: t("virtualGoods.suppliers.columns.balance"),
      align: "right",
      col: "balance",
      className: "whitespace-nowrap",
      cell: (s) => (
        <div className="flex flex-col">
          <span data-value>{formatMoney(s.balance, s.balance_currency_code)}</span>
          {s.low_balance_threshold !== null && s.low_balance_threshold !== undefined && (
            <Text size="xsmall" className="text-ui-fg-subtle">
              {t("virtualGoods.suppliers.threshold", { amount: formatMoney(s.low_balance_threshold, s.balance_currency_code) })}
            </Text>
          )}
        </div>
      ),
    },
    { header: t("virtualGoods.suppliers.columns.lastChecked"), className: "whitespace-nowrap", col: "last-checked", cell: (s) => formatDate(s.last_checked_at, i18n.language) },
    {
      cell: (s) => (
        <div className="flex justify-end gap-2">
          <Button size="small" variant="secondary" isLoading={busy(check.isPending, check.variables, s.id)} onClick={() => runCheck(s)}>
            {t("virtualGoods.suppliers.check")}
          </Button>
          <Button size="small" variant="secondary" isLoading={busy(reconcile.isPending, reconcile.variables, s.id)} onClick={() => runReconcile(s)}>
            {t("virtualGoods.suppliers.reconcile")}
          </Button>
          <Button size="small" variant="secondary" isLoading={setStatus.isPending && setStatus.variables?.id === s.id} onClick={() => toggle(s)}>
            {s.status === "active" ? t("virtualGoods.suppliers.disable") : t("virtualGoods.suppliers.enable")}
          </Button>
        </div>
      ),
    },
  ]

  return (
    <>
      <DataTable
        testId="suppliers"
        columns={columns}
        rows={suppliers}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ "data-supplier": s.id, "data-status": s.status })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !suppliers.length && t("virtualGoods.suppliers.empty")}
        emptyCentered
      />
      {reconciled && <ReconciliationSummary name={reconciled.name} result={reconciled.result} />}
    </>
  )
}
