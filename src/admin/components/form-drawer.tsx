import { Drawer } from "@medusajs/ui"
import type { FormEvent, ReactNode } from "react"

type Props = {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** The button that opens the drawer, when the drawer owns its open state. */
  trigger?: ReactNode
  title: ReactNode
  /** Classes of the body (its fields are a column with a gap by default). */
  bodyClassName?: string
  /** The footer's buttons: cancel or close, then the action. */
  footer: ReactNode
  /** Given, the drawer is a form: Enter in a field submits it. */
  onSubmit?: (e: FormEvent) => void
  children: ReactNode
}

/** The admin's side drawers: a title, the fields, and the cancel and action buttons in the footer. */
export const FormDrawer = ({ open, onOpenChange, trigger, title, bodyClassName = "flex flex-col gap-y-4", footer, onSubmit, children }: Props) => {
  const content = (
    <>
      <Drawer.Header>
        <Drawer.Title>{title}</Drawer.Title>
      </Drawer.Header>
      <Drawer.Body className={bodyClassName}>{children}</Drawer.Body>
      <Drawer.Footer>{footer}</Drawer.Footer>
    </>
  )
  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      {trigger && <Drawer.Trigger asChild>{trigger}</Drawer.Trigger>}
      <Drawer.Content>
        {onSubmit ? (
          <form className="flex h-full flex-col" onSubmit={onSubmit}>
            {content}
          </form>
        ) : (
          content
        )}
      </Drawer.Content>
    </Drawer>
  )
}
