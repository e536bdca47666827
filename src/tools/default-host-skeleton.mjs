// @ts-check
/**
 * The default host's skeleton: [name, parent, world position] in its rest T-pose (facing +Z, the
 * avatar's left is +X, floor at y = 0, no bone rotations); order = glTF node order after the root.
 * One table for the avatar (make-default-avatar.mjs) and its animations (make-vrma.mjs).
 */
export const HOST_BONES = [
  ['hips', null, [0, 0.9, 0]],
  ['spine', 'hips', [0, 1.0, 0]],
  ['chest', 'spine', [0, 1.12, 0]],
  ['upperChest', 'chest', [0, 1.23, 0]],
  ['neck', 'upperChest', [0, 1.36, 0]],
  ['head', 'neck', [0, 1.43, 0]],
  ['leftEye', 'head', [0.046, 1.535, 0.07]],
  ['rightEye', 'head', [-0.046, 1.535, 0.07]],
  ['leftShoulder', 'upperChest', [0.035, 1.32, 0]],
  ['leftUpperArm', 'leftShoulder', [0.155, 1.32, 0]],
  ['leftLowerArm', 'leftUpperArm', [0.405, 1.32, 0]],
  ['leftHand', 'leftLowerArm', [0.635, 1.32, 0]],
  ['rightShoulder', 'upperChest', [-0.035, 1.32, 0]],
  ['rightUpperArm', 'rightShoulder', [-0.155, 1.32, 0]],
  ['rightLowerArm', 'rightUpperArm', [-0.405, 1.32, 0]],
  ['rightHand', 'rightLowerArm', [-0.635, 1.32, 0]],
  ['leftUpperLeg', 'hips', [0.085, 0.86, 0]],
  ['leftLowerLeg', 'leftUpperLeg', [0.085, 0.47, 0.005]],
  ['leftFoot', 'leftLowerLeg', [0.085, 0.075, 0]],
  ['leftToes', 'leftFoot', [0.085, 0.02, 0.11]],
  ['rightUpperLeg', 'hips', [-0.085, 0.86, 0]],
  ['rightLowerLeg', 'rightUpperLeg', [-0.085, 0.47, 0.005]],
  ['rightFoot', 'rightLowerLeg', [-0.085, 0.075, 0]],
  ['rightToes', 'rightFoot', [-0.085, 0.02, 0.11]],
]
