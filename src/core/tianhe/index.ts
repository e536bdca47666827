/**
 * Tianhe core-module experience: framework-free domain logic (layout, locomotion, procedures,
 * tasks and the small simulations they use). The scene layer imports from here.
 */
export * from './hull'
export * from './module-layout'
export * from './locomotion'
export * from './procedure-engine'
export * from './life-support'
export * from './robot-arm'
export * from './water-ball'
export * from './tianhe-world'
export * from './tasks'
export * from './loose-items'
export * from './interaction'
export * from './autopilot'
export * from './lighting'
export * from './crew-steps'
export * from './draw-distance'
