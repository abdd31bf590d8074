import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A label and its value in the agent's summary. */
export const SummaryField = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="flex flex-col gap-y-1" data-testid={testId}>
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <div className="txt-small">{children}</div>
  </div>
)
