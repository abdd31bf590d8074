import { MedusaError } from "@medusajs/framework/utils"

/**
 * Statuses a card code moves through. `revealed` means the plaintext has left the vault at least once.
 */
export const CardCodeStatus = {
  AVAILABLE: "available",
  RESERVED: "reserved",
  DELIVERED: "delivered",
  REVEALED: "revealed",
  VOIDED: "voided",
  EXPIRED: "expired",
} as const

export type CardCodeStatusValue = (typeof CardCodeStatus)[keyof typeof CardCodeStatus]

export const CARD_CODE_STATUSES = Object.values(CardCodeStatus) as CardCodeStatusValue[]

/**
 * The only transitions a card code may take. Every SQL statement that changes a status derives its
 * `WHERE status IN (...)` from this table, so the database cannot be moved along an edge that is not here.
 */
export const CardCodeTransitions = {
  reserve: { from: ["available"], to: "reserved" },
  release: { from: ["reserved"], to: "available" },
  deliver: { from: ["reserved"], to: "delivered" },
  reveal: { from: ["delivered", "revealed"], to: "revealed" },
  // A delivered code whose plaintext never left the vault can be sold again after a refund.
  restock: { from: ["delivered"], to: "available" },
  expire: { from: ["available", "reserved"], to: "expired" },
  void: { from: ["delivered", "revealed"], to: "voided" },
  // A reusable pool's shared code withdrawn: its unsold copies (in stock, or held by a cart no order took) are voided.
  withdraw: { from: ["available", "reserved"], to: "voided" },
  // Compensation only: a delivery workflow that failed before finishing hands its codes back to the cart.
  undeliver: { from: ["delivered"], to: "reserved" },
  // Compensation only: a void & reissue rolled back returns the voided code to what it was.
  unvoid: { from: ["voided"], to: "delivered" },
  unvoid_revealed: { from: ["voided"], to: "revealed" },
  // Compensation only: a withdrawal rolled back puts its copies back in stock.
  unwithdraw: { from: ["voided"], to: "available" },
} as const satisfies Record<string, { from: readonly CardCodeStatusValue[]; to: CardCodeStatusValue }>

export type CardCodeEvent = keyof typeof CardCodeTransitions

/** Statuses of a sold code, with a customer now: delivered, revealed or not (what a void or a sales report counts). */
export const SOLD_STATUSES = CardCodeTransitions.void.from satisfies readonly CardCodeStatusValue[]

/**
 * Statuses of a code that a cart or an order holds: reserved for it, or sold to it. A retried reservation counts these
 * towards the quantity it asked for.
 */
export const HELD_STATUSES = [CardCodeTransitions.reserve.to, ...SOLD_STATUSES] as const satisfies readonly CardCodeStatusValue[]

export function sourcesOf(event: CardCodeEvent): readonly CardCodeStatusValue[] {
  return CardCodeTransitions[event].from
}

export function canTransition(from: CardCodeStatusValue, event: CardCodeEvent): boolean {
  return (CardCodeTransitions[event].from as readonly string[]).includes(from)
}

/**
 * Returns the status a code takes after `event`, or throws a NOT_ALLOWED error naming the code and both states.
 */
export function nextStatus(
  from: CardCodeStatusValue,
  event: CardCodeEvent,
  codeId?: string
): CardCodeStatusValue {
  const transition = CardCodeTransitions[event]
  if (!transition) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Unknown card code event "${String(event)}"`)
  }
  if (!canTransition(from, event)) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Card code${codeId ? ` ${codeId}` : ""} cannot ${event}: it is ${from} (allowed from: ${transition.from.join(", ")})`
    )
  }
  return transition.to
}
