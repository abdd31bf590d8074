/** The vault key a wholesale order's codes are reserved under until its Medusa order exists. */
export const wholesaleReservationKey = (agentOrderId: string) => `wholesale:${agentOrderId}`
