/**
 * Framework-free avatar driving for the /livestream virtual host: IK, procedural legs, fingers,
 * calibration, lip sync, blink, expressions and VRM file validation. See rig-space.ts for the
 * spaces and rest-pose conventions the scene layer must follow.
 */
export * from './avatar-driver'
export * from './avatar-math'
export * from './blink'
export * from './calibration'
export * from './elbow-hint'
export * from './emotes'
export * from './expression-bindings'
export * from './expressions'
export * from './finger-curls'
export * from './humanoid'
export * from './procedural-legs'
export * from './props'
export * from './rig-space'
export * from './spine-ik'
export * from './two-bone-ik'
export * from './visemes'
export * from './vrm-validation'
export * from './vrma-validation'
