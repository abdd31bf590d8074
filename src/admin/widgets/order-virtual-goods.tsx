import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Container, Heading, Table, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { sdk } from "../lib/sdk"

type OrderCode = { id: string; mask: string; status: string; delivered_at: string | null; reveal_count: number }
type OrderCodes = {
  card_codes: OrderCode[]
  delivery: { status: string; attempts: number; last_error: string | null } | null
  reveals: { id: string }[]
}

const statusColor = (s: string) =>
  s === "delivered" ? "green" : s === "revealed" ? "blue" : s === "held" || s === "voided" ? "red" : "grey"

/** The order's card codes (masked), its delivery state and how often codes were revealed. */
const OrderVirtualGoodsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const [codes, setCodes] = useState<OrderCodes | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    sdk.client
      .fetch<OrderCodes>(`/admin/virtual-goods/orders/${order.id}/codes`)
      .then(setCodes)
      .catch((e: Error) => setError(e.message))
  }, [order.id])

  if (!error && codes && !codes.card_codes.length && !codes.delivery) {
    return null
  }

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Virtual goods</Heading>
        {codes?.delivery && <Badge color={statusColor(codes.delivery.status)}>{codes.delivery.status}</Badge>}
      </div>
      {error && (
        <Text className="px-6 py-4 text-ui-fg-error">Could not load the order's codes: {error}. Reload the page to retry.</Text>
      )}
      {!codes && !error && <Text className="px-6 py-4 text-ui-fg-subtle">Loading codes…</Text>}
      {codes?.delivery?.last_error && (
        <Text className="px-6 py-4 text-ui-fg-error">Delivery held: {codes.delivery.last_error}</Text>
      )}
      {!!codes?.card_codes.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Code</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Delivered</Table.HeaderCell>
              <Table.HeaderCell>Reveals</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {codes.card_codes.map((c) => (
              <Table.Row key={c.id}>
                <Table.Cell className="font-mono">{c.mask}</Table.Cell>
                <Table.Cell>
                  <Badge color={statusColor(c.status)}>{c.status}</Badge>
                </Table.Cell>
                <Table.Cell>{c.delivered_at ? new Date(c.delivered_at).toLocaleString() : "—"}</Table.Cell>
                <Table.Cell>{c.reveal_count}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderVirtualGoodsWidget
