import { Button, Input, Label, Text, Textarea, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField, SelectField } from "../../../../components/fields"
import { FormDrawer } from "../../../../components/form-drawer"
import { useCreateSupplier } from "../../../../hooks/api/suppliers"
import { errorMessage } from "../../../../lib/utils"
import { SUPPLIER_ADAPTERS, buildSupplierBody, emptySupplierForm, type SupplierForm, type SupplierFormProblem } from "../lib"

/**
 * Creates a supplier: name, adapter, base URL, timeout, rate limit, poll interval, low-balance threshold (decimal text),
 * credentials as name and value rows (password inputs; the values are sent once and never shown again, the form is
 * cleared when the drawer closes) and, for the generic adapter, its settings as JSON. The API's refusal (which names
 * the field) shows in the drawer.
 */
export const CreateSupplierDrawer = () => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [form, setForm] = useState<SupplierForm>(emptySupplierForm)
  const [problem, setProblem] = useState<string | null>(null)
  const create = useCreateSupplier()

  const set = <K extends keyof SupplierForm>(name: K, value: SupplierForm[K]) => setForm((f) => ({ ...f, [name]: value }))
  const setCredential = (index: number, part: "key" | "value", value: string) =>
    setForm((f) => ({ ...f, credentials: f.credentials.map((row, i) => (i === index ? { ...row, [part]: value } : row)) }))
  const addCredential = () => setForm((f) => ({ ...f, credentials: [...f.credentials, { key: "", value: "" }] }))
  const removeCredential = (index: number) => setForm((f) => ({ ...f, credentials: f.credentials.filter((_, i) => i !== index) }))
  const onOpenChange = (next: boolean) => {
    setOpen(next)
    if (!next) {
      setForm(emptySupplierForm())
      setProblem(null)
    }
  }

  const describe = (p: SupplierFormProblem) => {
    switch (p.problem) {
      case "required":
        return t("virtualGoods.suppliers.form.required", { field: t(`virtualGoods.suppliers.form.${p.field}`) })
      case "integer":
        return t("virtualGoods.suppliers.form.integer", { field: t(`virtualGoods.suppliers.form.${p.field}`) })
      case "decimal":
        return t("virtualGoods.suppliers.form.decimal", { field: t(`virtualGoods.suppliers.form.${p.field}`) })
      case "credentialKey":
        return t("virtualGoods.suppliers.form.credentialKey")
      case "credentialValue":
        return t("virtualGoods.suppliers.form.credentialValue", { key: p.key })
      case "credentialDuplicate":
        return t("virtualGoods.suppliers.form.credentialDuplicate", { key: p.key })
      case "configJson":
        return t("virtualGoods.suppliers.form.configJson")
    }
  }

  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    setProblem(null)
    const built = buildSupplierBody(form)
    if ("error" in built) {
      setProblem(describe(built.error))
      return
    }
    try {
      const { supplier } = await create.mutateAsync(built.body)
      toast.success(t("virtualGoods.suppliers.created", { name: supplier.name }))
      onOpenChange(false)
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      trigger={
        <Button size="small" variant="secondary">
          {t("virtualGoods.suppliers.create")}
        </Button>
      }
      title={t("virtualGoods.suppliers.create")}
      onSubmit={submit}
      footer={
        <>
          <Button type="button" size="small" variant="secondary" onClick={() => onOpenChange(false)}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button type="submit" size="small" isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </>
      }
    >
      <InputField id="vg-supplier-name" label={t("virtualGoods.suppliers.form.name")} value={form.name} onChange={(e) => set("name", e.target.value)} />
      <SelectField
        label={t("virtualGoods.suppliers.form.adapter")}
        value={form.adapter}
        onChange={(v) => set("adapter", v)}
        options={SUPPLIER_ADAPTERS.map((a) => ({ value: a, label: t(`virtualGoods.suppliers.adapters.${a}`) }))}
      />
      <InputField
        id="vg-supplier-base-url"
        label={t("virtualGoods.suppliers.form.base_url")}
        inputMode="url"
        placeholder="https://"
        value={form.base_url}
        onChange={(e) => set("base_url", e.target.value)}
      />
      <div className="grid grid-cols-2 gap-4">
        <InputField
          id="vg-supplier-timeout"
          label={t("virtualGoods.suppliers.form.timeout_ms")}
          inputMode="numeric"
          placeholder="10000"
          value={form.timeout_ms}
          onChange={(e) => set("timeout_ms", e.target.value)}
        />
        <InputField
          id="vg-supplier-rate-limit"
          label={t("virtualGoods.suppliers.form.rate_limit_per_minute")}
          inputMode="numeric"
          placeholder="120"
          value={form.rate_limit_per_minute}
          onChange={(e) => set("rate_limit_per_minute", e.target.value)}
        />
        <InputField
          id="vg-supplier-poll"
          label={t("virtualGoods.suppliers.form.poll_interval_seconds")}
          inputMode="numeric"
          placeholder="30"
          value={form.poll_interval_seconds}
          onChange={(e) => set("poll_interval_seconds", e.target.value)}
        />
        <InputField
          id="vg-supplier-threshold"
          label={t("virtualGoods.suppliers.form.low_balance_threshold")}
          inputMode="decimal"
          placeholder="100.00"
          value={form.low_balance_threshold}
          onChange={(e) => set("low_balance_threshold", e.target.value)}
        />
      </div>
      <div className="flex flex-col gap-y-2" data-testid="supplier-credentials">
        <Label>{t("virtualGoods.suppliers.form.credentials")}</Label>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.suppliers.form.credentialsHint")}
        </Text>
        {form.credentials.map((row, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
            <Input
              size="small"
              aria-label={t("virtualGoods.suppliers.form.credentialName", { n: i + 1 })}
              placeholder="api_key"
              autoComplete="off"
              value={row.key}
              onChange={(e) => setCredential(i, "key", e.target.value)}
            />
            <Input
              size="small"
              type="password"
              aria-label={t("virtualGoods.suppliers.form.credentialValueLabel", { n: i + 1 })}
              autoComplete="new-password"
              value={row.value}
              onChange={(e) => setCredential(i, "value", e.target.value)}
            />
            <Button type="button" size="small" variant="transparent" onClick={() => removeCredential(i)}>
              {t("virtualGoods.suppliers.form.removeCredential")}
            </Button>
          </div>
        ))}
        <div>
          <Button type="button" size="small" variant="secondary" onClick={addCredential}>
            {t("virtualGoods.suppliers.form.addCredential")}
          </Button>
        </div>
      </div>
      {form.adapter === "generic_http" && (
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-supplier-config">{t("virtualGoods.suppliers.form.config")}</Label>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.suppliers.form.configHint")}
          </Text>
          <Textarea
            id="vg-supplier-config"
            className="min-h-[160px] font-mono text-xs"
            placeholder={'{ "encoding": "form", "endpoints": { … }, "fields": { … }, "signature": { … }, "answer": { … } }'}
            value={form.config}
            onChange={(e) => set("config", e.target.value)}
          />
        </div>
      )}
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
