import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createInputSnapshot } from '../../core/input/input-snapshot'
import { createAvatarRig, fillRigFromSnapshot, fillRigIdle, fitCalibration, rigFingerReadout, rigHandPositions, setRigExpression, updateRigBody, updateRigFace } from './avatar-rig'
import { createTestStage, loadDefaultHost } from './test-stage'

const DT = 1 / 72

/** The stage setup of the livestream room: tracking space raised onto the stage and turned to face +Z. */
async function stageRig() {
  const vrm = await loadDefaultHost()
  const { world, space } = createTestStage(vrm)
  world.updateMatrixWorld(true)
  return { vrm, space, rig: createAvatarRig(vrm, space, null) }
}

describe('avatar rig on the default host', () => {
  it('puts the hand bones where the controllers are (grip → wrist offset only) and faces the audience', async () => {
    const { rig, vrm } = await stageRig()
    const s = createInputSnapshot()
    s.head.position.set([0, 1.6, 0])
    s.head.orientation.set([0, 0, 0, 1]) // WebXR forward: tracking -Z
    const grips = { left: [-0.3, 1.2, -0.3], right: [0.3, 1.25, -0.32] }
    s.sources.forEach((src, i) => {
      src.connected = true
      src.kind = 'controller'
      src.hasGamepad = true
      src.grip.position.set(i === 0 ? grips.left : grips.right)
      src.grip.orientation.set([0, 0, 0, 1])
    })
    for (let i = 0; i < 40; i++) {
      fillRigFromSnapshot(rig, s, DT)
      updateRigBody(rig, DT)
      updateRigFace(rig, DT, null, 48000, 1024)
    }
    const hands = rigHandPositions(rig)
    for (const side of ['left', 'right'] as const) {
      const d = new Vector3(...hands[side]).distanceTo(new Vector3(...grips[side]))
      expect(d, side).toBeGreaterThan(0.03) // the wrist is behind the fist, not in it
      expect(d, side).toBeLessThan(0.1)
    }
    // The host's nose points at world +Z (the cameras) when the wearer looks along tracking -Z.
    const head = vrm.humanoid.getNormalizedBoneNode('head')!
    const forward = new Vector3(0, 0, 1).applyQuaternion(head.getWorldQuaternion(new Quaternion()))
    expect(forward.z).toBeGreaterThan(0.9)
  })

  it('reads the finger bones back: straight at rest, curled by the squeeze, tips apart when open', async () => {
    const { rig } = await stageRig()
    const rest = rigFingerReadout(rig)
    for (const side of ['left', 'right'] as const) {
      for (const v of Object.values(rest.bends[side])) expect(v).toBe(0)
      expect(rest.pinchGap[side]).toBeGreaterThan(0.03)
    }
    const s = createInputSnapshot()
    s.head.position.set([0, 1.6, 0])
    s.head.orientation.set([0, 0, 0, 1])
    const src = s.sources[1]
    src.connected = true
    src.kind = 'controller'
    src.hasGamepad = true
    src.grip.position.set([0.3, 1.25, -0.32])
    src.grip.orientation.set([0, 0, 0, 1])
    src.buttons[1] = 1 // squeeze: middle, ring and little close; trigger untouched: index straight
    for (let i = 0; i < 40; i++) {
      fillRigFromSnapshot(rig, s, DT)
      updateRigBody(rig, DT)
    }
    const fist = rigFingerReadout(rig).bends.right
    expect(fist.index).toBeLessThan(0.01)
    for (const finger of ['middle', 'ring', 'little'] as const) expect(fist[finger], finger).toBeGreaterThan(4)
  })

  it('blends expressions smoothly into the VRM expression manager', async () => {
    const { rig, vrm } = await stageRig()
    setRigExpression(rig, 'happy')
    fillRigIdle(rig, 0)
    updateRigBody(rig, DT)
    updateRigFace(rig, DT, null, 48000, 1024)
    const early = vrm.expressionManager!.getValue('happy')!
    expect(early).toBeGreaterThan(0)
    expect(early).toBeLessThan(0.5)
    for (let i = 0; i < 30; i++) updateRigFace(rig, DT, null, 48000, 1024)
    expect(vrm.expressionManager!.getValue('happy')).toBeCloseTo(1, 3)
  })

  it('refits a stored calibration to another avatar', async () => {
    const { rig } = await stageRig()
    const m = rig.measurements
    const stored = { version: 1 as const, eyeHeight: 1.7, height: 1.82, armSpan: 1.8, wristSpan: 1.45, scale: 9, armScale: 9 }
    const fitted = fitCalibration(stored, m)!
    expect(fitted.scale).toBeCloseTo(1.7 / m.eyeHeight, 6)
    expect(fitted.armScale).toBeCloseTo(1.45 / (m.wristSpan * fitted.scale), 6)
  })
})
