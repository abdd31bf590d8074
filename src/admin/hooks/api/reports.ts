import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { SalesReport } from "../../types"

const DAY = 86_400_000
const dayString = (d: Date) => d.toISOString().slice(0, 10)

/** Sales, cost and margin of the last `days` days (today included), by day, pool and batch; outlook and alerts. */
export const useSalesReport = (days: number) =>
  useQuery({
    queryKey: queryKeys.salesReports.list({ days }),
    queryFn: () => {
      const to = new Date()
      const from = new Date(to.getTime() - (days - 1) * DAY)
      return sdk.client.fetch<SalesReport>("/admin/virtual-goods/reports/sales", { query: { from: dayString(from), to: dayString(to) } })
    },
    placeholderData: keepPreviousData,
  })
