import { Table, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { LoadError, Loading, Pager } from "./common"

/** Attributes a row or cell carries for tests and styling (`data-pool`, `data-col`…). */
export type DataAttributes = { [name: `data-${string}`]: string | number | undefined }

export type Column<T> = {
  /** The heading; none for a column of row actions. */
  header?: ReactNode
  /** Amounts and counts are right-aligned, heading and cells alike. */
  align?: "right"
  /** The cells' `data-col`. */
  col?: string
  /** Other attributes of the cells (`data-stock`…). */
  attrs?: DataAttributes
  /** More classes for the cells. */
  className?: string
  cell: (row: T) => ReactNode
}

type Props<T> = {
  columns: Column<T>[]
  rows: T[]
  rowKey: (row: T) => string
  rowProps?: (row: T) => DataAttributes
  /** The table's `data-testid`. */
  testId?: string
  /** Omit the header row (a table of label and value). */
  headless?: boolean
  /** Show the header even with no rows (a table that is never empty for long, such as the stock outlook). */
  keepHeader?: boolean
  /** The query behind the rows: its loading line, its error with a retry. */
  isLoading?: boolean
  error?: unknown
  onRetry?: () => void
  /** Shown instead of the table once loaded with no rows; a page's main list centres it. */
  empty?: ReactNode
  emptyCentered?: boolean
  /** Previous/next under the table, for lists paged by PAGE_SIZE. */
  pagination?: { offset: number; count: number; onChange: (offset: number) => void }
}

/**
 * The admin's tables: a column list renders the header and every row; with the query's state it also shows loading,
 * the error with a retry and the empty message, and with `pagination` the pager.
 */
export const DataTable = <T,>({ columns, rows, rowKey, rowProps, testId, headless, keepHeader, isLoading, error, onRetry, empty, emptyCentered, pagination }: Props<T>) => (
  <>
    {isLoading && <Loading />}
    {!!error && <LoadError error={error} onRetry={() => onRetry?.()} />}
    {empty && <Text className={emptyCentered ? "px-6 py-8 text-center text-ui-fg-subtle" : "px-6 py-4 text-ui-fg-subtle"}>{empty}</Text>}
    {(!!rows.length || keepHeader) && (
      <Table data-testid={testId}>
        {!headless && (
          <Table.Header>
            <Table.Row>
              {columns.map((c, i) => (
                <Table.HeaderCell key={i} className={c.align === "right" ? "text-right" : undefined}>
                  {c.header}
                </Table.HeaderCell>
              ))}
            </Table.Row>
          </Table.Header>
        )}
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((c, i) => (
                <Table.Cell key={i} className={[c.align === "right" ? "text-right" : "", c.className ?? ""].join(" ").trim() || undefined} data-col={c.col} {...c.attrs}>
                  {c.cell(row)}
                </Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    )}
    {pagination && <Pager {...pagination} />}
  </>
)
