/**
 * Every react-query key of the virtual-goods pages, from one factory (the shape of the Medusa dashboard's
 * `queryKeysFactory`). All start with `ROOT`, so invalidating `queryKeys.all` refreshes everything the plugin shows;
 * a list's key ends with its query object, and react-query matches objects partially: invalidating
 * `list({ agent_id })` refreshes that agent's every page and filter.
 */
const ROOT = "virtual-goods" as const

type Query = Record<string, unknown>

const resource = <const R extends string>(name: R) => {
  const all = [ROOT, name] as const
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: (query: Query = {}) => [...all, "list", query] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: string, query: Query = {}) => [...all, "detail", id, query] as const,
  }
}

export const queryKeys = {
  all: [ROOT] as const,
  pools: resource("pools"),
  batches: resource("batches"),
  sharedCodes: resource("shared-codes"),
  importErrors: resource("import-errors"),
  codes: resource("codes"),
  productPools: resource("product-pools"),
  orderCodes: resource("order-codes"),
  agents: resource("agents"),
  agentApiKeys: resource("agent-api-keys"),
  agentLedger: resource("agent-ledger"),
  agentStatements: resource("agent-statements"),
  agentQuotas: resource("agent-quotas"),
  agentOrders: resource("agent-orders"),
  webhookDeliveries: resource("webhook-deliveries"),
  customerGroups: resource("customer-groups"),
  priceLists: resource("price-lists"),
  riskDecisions: resource("risk-decisions"),
  riskRules: resource("risk-rules"),
  auditLogs: resource("audit-logs"),
  salesReports: resource("sales-reports"),
  paymentFindings: resource("payment-findings"),
  paymentEvents: resource("payment-events"),
  orderPayments: resource("order-payments"),
  suppliers: resource("suppliers"),
  supplierOrders: resource("supplier-orders"),
  supplierFindings: resource("supplier-findings"),
  supplierReports: resource("supplier-reports"),
  campaigns: resource("campaigns"),
  voucherPrograms: resource("voucher-programs"),
}
