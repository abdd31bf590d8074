import en from "../../../../i18n/json/en.json"
import zhCN from "../../../../i18n/json/zhCN.json"
import {
  SUPPLIER_ADAPTERS,
  SUPPLIER_FINDING_KINDS,
  SUPPLIER_FINDING_STATUSES,
  SUPPLIER_HEALTHS,
  SUPPLIER_ORDER_ACTIONS,
  SUPPLIER_ORDER_KINDS,
  SUPPLIER_ORDER_STATUSES,
  SUPPLIER_REFUND_STATUSES,
  SUPPLIER_STATUSES,
  buildSupplierBody,
  emptySupplierForm,
  isReasonLongEnough,
  reconciliationCounts,
  reportQuery,
  supplierFindingsQuery,
  supplierOrdersQuery,
  type SupplierForm,
} from "../lib"

const form = (overrides: Partial<SupplierForm>): SupplierForm => ({ ...emptySupplierForm(), name: "Upstream", base_url: "https://up.example", ...overrides })

describe("suppliers page helpers", () => {
  describe("buildSupplierBody", () => {
    it("sends the name, adapter and base URL trimmed, and leaves out what is not filled in", () => {
      expect(buildSupplierBody(form({ name: "  Upstream ", base_url: " https://up.example " }))).toEqual({
        body: { name: "Upstream", adapter: "medusa_store", base_url: "https://up.example" },
      })
    })

    it("sends whole numbers as numbers and the threshold as the decimal text typed", () => {
      const built = buildSupplierBody(
        form({ timeout_ms: "5000", rate_limit_per_minute: " 60 ", poll_interval_seconds: "15", low_balance_threshold: "9007199254740993.01" })
      )
      expect(built).toEqual({
        body: {
          name: "Upstream",
          adapter: "medusa_store",
          base_url: "https://up.example",
          timeout_ms: 5000,
          rate_limit_per_minute: 60,
          poll_interval_seconds: 15,
          low_balance_threshold: "9007199254740993.01",
        },
      })
    })

    it("names the field that is missing or malformed", () => {
      expect(buildSupplierBody(form({ name: " " }))).toEqual({ error: { problem: "required", field: "name" } })
      expect(buildSupplierBody(form({ base_url: "" }))).toEqual({ error: { problem: "required", field: "base_url" } })
      expect(buildSupplierBody(form({ timeout_ms: "1.5" }))).toEqual({ error: { problem: "integer", field: "timeout_ms" } })
      expect(buildSupplierBody(form({ rate_limit_per_minute: "-1" }))).toEqual({ error: { problem: "integer", field: "rate_limit_per_minute" } })
      expect(buildSupplierBody(form({ poll_interval_seconds: "ten" }))).toEqual({ error: { problem: "integer", field: "poll_interval_seconds" } })
      expect(buildSupplierBody(form({ low_balance_threshold: "1e3" }))).toEqual({ error: { problem: "decimal", field: "low_balance_threshold" } })
      expect(buildSupplierBody(form({ low_balance_threshold: "12,50" }))).toEqual({ error: { problem: "decimal", field: "low_balance_threshold" } })
    })

    it("sends the credentials as typed, skips empty rows, and refuses a row without a name or a value, or a name given twice", () => {
      const credentials = [
        { key: " app_id ", value: "A1" },
        { key: "", value: "" },
        { key: "key", value: " s3cret with spaces " },
      ]
      expect(buildSupplierBody(form({ credentials }))).toEqual({
        body: { name: "Upstream", adapter: "medusa_store", base_url: "https://up.example", credentials: { app_id: "A1", key: " s3cret with spaces " } },
      })
      expect(buildSupplierBody(form({ credentials: [{ key: "", value: "orphan" }] }))).toEqual({ error: { problem: "credentialKey", key: "" } })
      expect(buildSupplierBody(form({ credentials: [{ key: "api_key", value: "" }] }))).toEqual({ error: { problem: "credentialValue", key: "api_key" } })
      expect(buildSupplierBody(form({ credentials: [{ key: "k", value: "1" }, { key: "k ", value: "2" }] }))).toEqual({
        error: { problem: "credentialDuplicate", key: "k" },
      })
    })

    it("never puts a credential's value in a problem", () => {
      const built = buildSupplierBody(form({ credentials: [{ key: "", value: "do-not-echo" }] }))
      expect(JSON.stringify(built)).not.toContain("do-not-echo")
    })

    it("sends the generic adapter's settings as a JSON object, and only for that adapter", () => {
      const config = '{ "encoding": "json", "endpoints": { "submit": { "path": "/r" } } }'
      expect(buildSupplierBody(form({ adapter: "generic_http", config }))).toEqual({
        body: { name: "Upstream", adapter: "generic_http", base_url: "https://up.example", config: { encoding: "json", endpoints: { submit: { path: "/r" } } } },
      })
      expect(buildSupplierBody(form({ adapter: "dujiao_next", config }))).toEqual({ body: { name: "Upstream", adapter: "dujiao_next", base_url: "https://up.example" } })
      expect(buildSupplierBody(form({ adapter: "generic_http", config: "{ not json" }))).toEqual({ error: { problem: "configJson" } })
      expect(buildSupplierBody(form({ adapter: "generic_http", config: "[1, 2]" }))).toEqual({ error: { problem: "configJson" } })
      expect(buildSupplierBody(form({ adapter: "generic_http", config: "null" }))).toEqual({ error: { problem: "configJson" } })
      expect(buildSupplierBody(form({ adapter: "generic_http", config: "  " }))).toEqual({ body: { name: "Upstream", adapter: "generic_http", base_url: "https://up.example" } })
    })
  })

  describe("queries", () => {
    it("sends the status when one is chosen, with the page", () => {
      expect(supplierOrdersQuery("", 0, 20)).toEqual({ status: undefined, limit: 20, offset: 0 })
      expect(supplierOrdersQuery("unknown", 40, 20)).toEqual({ status: "unknown", limit: 20, offset: 40 })
      expect(supplierFindingsQuery("open", 0, 20)).toEqual({ status: "open", limit: 20, offset: 0 })
      expect(supplierFindingsQuery("", 20, 20)).toEqual({ status: undefined, limit: 20, offset: 20 })
    })

    it("asks the report for the 30 days up to now", () => {
      expect(reportQuery(new Date("2026-12-31T12:00:00.000Z"))).toEqual({ from: "2026-12-01T12:00:00.000Z", to: "2026-12-31T12:00:00.000Z" })
      expect(reportQuery(new Date("2026-03-01T00:00:00.000Z"), 7)).toEqual({ from: "2026-02-22T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z" })
    })
  })

  it("accepts a reason of at least 3 characters once trimmed", () => {
    expect(isReasonLongEnough("ok")).toBe(false)
    expect(isReasonLongEnough("  ab  ")).toBe(false)
    expect(isReasonLongEnough("abc")).toBe(true)
  })

  it("counts a reconciliation's new and already known findings", () => {
    expect(
      reconciliationCounts({
        supplier_id: "sup_1",
        balance: "10.00",
        compared: 3,
        findings: [
          { kind: "low_balance", supplier_order_id: null, created: true },
          { kind: "cost_mismatch", supplier_order_id: "supo_1", created: false },
          { kind: "missing_local", supplier_order_id: null, created: true },
        ],
        error: null,
      })
    ).toEqual({ created: 2, known: 1 })
  })

  it("has a label in English and Chinese for every adapter, status, kind and decision the API can answer", () => {
    for (const labels of [en.virtualGoods.suppliers, zhCN.virtualGoods.suppliers]) {
      expect(Object.keys(labels.adapters).sort()).toEqual([...SUPPLIER_ADAPTERS].sort())
      expect(Object.keys(labels.status).sort()).toEqual([...SUPPLIER_STATUSES].sort())
      expect(Object.keys(labels.health).sort()).toEqual([...SUPPLIER_HEALTHS].sort())
      expect(Object.keys(labels.orderStatus).sort()).toEqual([...SUPPLIER_ORDER_STATUSES].sort())
      expect(Object.keys(labels.orderKinds).sort()).toEqual([...SUPPLIER_ORDER_KINDS].sort())
      expect(Object.keys(labels.refundStatus).sort()).toEqual([...SUPPLIER_REFUND_STATUSES].sort())
      expect(Object.keys(labels.findingKinds).sort()).toEqual([...SUPPLIER_FINDING_KINDS].sort())
      expect(Object.keys(labels.findingStatus).sort()).toEqual([...SUPPLIER_FINDING_STATUSES].sort())
      expect(Object.keys(labels.orders.actions).sort()).toEqual([...SUPPLIER_ORDER_ACTIONS].sort())
      expect(Object.keys(labels.orders.hints).sort()).toEqual([...SUPPLIER_ORDER_ACTIONS].sort())
      expect(Object.keys(labels.orders.done).sort()).toEqual([...SUPPLIER_ORDER_ACTIONS].sort())
    }
  })
})
