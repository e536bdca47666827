import { GlobalSpace, XRFrame as IwerXRFrame } from 'iwer'
import { P_FRAME } from 'iwer/lib/private.js'
import { describe, expect, it } from 'vitest'
import { BODY_JOINT_COUNT, BODY_JOINT_STRIDE, createInputSnapshot, fillBodyFromXRFrame, type XRBodyLike } from '../../core/input/input-snapshot'
import { createSyntheticBodyPose, fillSyntheticBody } from '../../core/replay/synthetic-body'
import { createIwerBodySource } from './iwer-body-source'

describe('emulated body source for IWER', () => {
  it('exposes the replayed joints as XRFrame.body, read back by the live body reader', () => {
    class FakeFrame {}
    const proto = FakeFrame.prototype
    const root = new GlobalSpace()
    const source = createIwerBodySource(null, proto, root)
    // A frame that computes poses the way IWER does (its own fillPoses on its own spaces; its
    // getPose needs DOMPointReadOnly, which Node lacks).
    const frame = Object.assign(Object.create(proto), { [P_FRAME]: { active: true, tempMat4: new Float32Array(16) } })
    frame.fillPoses = IwerXRFrame.prototype.fillPoses
    const snap = createInputSnapshot()
    expect(frame.body).toBeNull()
    source.apply(snap) // no body in this frame
    expect(frame.body).toBeNull()

    fillSyntheticBody(snap.body, createSyntheticBodyPose(), 0.2, -0.3, 0.7, NaN)
    snap.bodyValid = true
    source.apply(snap)
    const body = frame.body as XRBodyLike
    expect(body).not.toBeNull()
    const out = new Float32Array(BODY_JOINT_COUNT * BODY_JOINT_STRIDE)
    expect(fillBodyFromXRFrame(out, body, frame as XRFrame, root as unknown as XRReferenceSpace)).toBe(true)
    for (let i = 0; i < out.length; i++) {
      const k = i % BODY_JOINT_STRIDE
      // Positions exact; quaternions up to sign.
      if (k < 3) expect(out[i]).toBeCloseTo(snap.body[i], 5)
    }
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const o = j * BODY_JOINT_STRIDE + 3
      const dot = out[o] * snap.body[o] + out[o + 1] * snap.body[o + 1] + out[o + 2] * snap.body[o + 2] + out[o + 3] * snap.body[o + 3]
      expect(Math.abs(dot)).toBeCloseTo(1, 5)
    }
    // The body drops out with the recording, and release leaves the prototype as it was.
    snap.bodyValid = false
    source.apply(snap)
    expect(frame.body).toBeNull()
    source.release()
    expect('body' in proto).toBe(false)
  })
})
