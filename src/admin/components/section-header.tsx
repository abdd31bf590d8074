import { Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

type Props = {
  title: ReactNode
  /** One line under the title. */
  hint?: ReactNode
  level?: "h1" | "h2" | "h3"
  /** Buttons or filters at the right of the title. */
  actions?: ReactNode
  /** Classes of the row when it has actions. */
  className?: string
}

/** The first row of a section (a Container): its title, a hint, and actions on the right. */
export const SectionHeader = ({ title, hint, level = "h2", actions, className = "flex items-center justify-between gap-4 px-6 py-4" }: Props) => {
  const heading = (
    <>
      <Heading level={level}>{title}</Heading>
      {hint && (
        <Text size="small" className="text-ui-fg-subtle">
          {hint}
        </Text>
      )}
    </>
  )
  if (!actions) return <div className="px-6 py-4">{heading}</div>
  return (
    <div className={className}>
      {hint ? <div>{heading}</div> : heading}
      {actions}
    </div>
  )
}
