import {
  CARD_CODE_STATUSES,
  CardCodeEvent,
  CardCodeTransitions,
  canTransition,
  nextStatus,
} from "../utils/state-machine"

describe("card code state machine", () => {
  const allowed: [string, CardCodeEvent, string][] = [
    ["available", "reserve", "reserved"],
    ["reserved", "deliver", "delivered"],
    ["delivered", "reveal", "revealed"],
    ["revealed", "reveal", "revealed"],
    ["reserved", "release", "available"],
    ["available", "expire", "expired"],
    ["reserved", "expire", "expired"],
    ["delivered", "void", "voided"],
    ["revealed", "void", "voided"],
    ["delivered", "restock", "available"],
    ["delivered", "undeliver", "reserved"],
    ["voided", "unvoid", "delivered"],
    ["voided", "unvoid_revealed", "revealed"],
    ["available", "withdraw", "voided"],
    ["reserved", "withdraw", "voided"],
    ["voided", "unwithdraw", "available"],
  ]

  it.each(allowed)("%s --%s--> %s", (from, event, to) => {
    expect(nextStatus(from as any, event)).toBe(to)
  })

  it("refuses every transition that is not in the table, naming the code and both states", () => {
    const events = Object.keys(CardCodeTransitions) as CardCodeEvent[]
    let refused = 0
    for (const from of CARD_CODE_STATUSES) {
      for (const event of events) {
        if (allowed.some(([f, e]) => f === from && e === event)) continue
        refused++
        expect(canTransition(from, event)).toBe(false)
        expect(() => nextStatus(from, event, "ccode_1")).toThrow(
          `Card code ccode_1 cannot ${event}: it is ${from} (allowed from: ${CardCodeTransitions[event].from.join(", ")})`
        )
      }
    }
    expect(refused).toBe(CARD_CODE_STATUSES.length * events.length - allowed.length)
  })

  it("never lets a revealed or voided code back into stock; expired is terminal, voided leaves only by compensation", () => {
    const compensationOnly: CardCodeEvent[] = ["undeliver", "unvoid", "unvoid_revealed", "unwithdraw"]
    for (const event of Object.keys(CardCodeTransitions) as CardCodeEvent[]) {
      if (CardCodeTransitions[event].to === "available" && !compensationOnly.includes(event)) {
        expect(canTransition("revealed", event)).toBe(false)
        expect(canTransition("voided", event)).toBe(false)
      }
      if (!compensationOnly.includes(event)) expect(canTransition("voided", event)).toBe(false)
      expect(canTransition("expired", event)).toBe(false)
    }
  })
})
