export * from "./set-card-bundle"
export * from "./remove-card-bundle"
export * from "./refund-bundle-component"
