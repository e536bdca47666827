import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { solveElbowHint } from './elbow-hint'
import { createTwoBonePositions, solveTwoBonePositions } from './two-bone-ik'

const shoulderL = new Vector3(0.17, 1.38, 0)
const shoulderR = new Vector3(-0.17, 1.38, 0)
const head = new Vector3(0, 1.56, 0.08)
const facingZ = new Quaternion()
const ARM = 0.5

function hint(side: 'left' | 'right', hand: Vector3, body = facingZ): Vector3 {
  return solveElbowHint(side, head, body, side === 'left' ? shoulderL : shoulderR, hand, ARM, new Vector3())
}

function elbowFor(side: 'left' | 'right', hand: Vector3): Vector3 {
  const shoulder = side === 'left' ? shoulderL : shoulderR
  const out = createTwoBonePositions()
  solveTwoBonePositions(shoulder, 0.26, 0.24, hand, hint(side, hand), out)
  return out.mid.clone()
}

describe('solveElbowHint', () => {
  it('keeps elbows down and out with the hands low', () => {
    const hand = new Vector3(0.25, 1.0, 0.15)
    const pole = hint('left', hand)
    expect(pole.y).toBeLessThan(shoulderL.y)
    expect(pole.x).toBeGreaterThan(shoulderL.x)
    const elbow = elbowFor('left', hand)
    expect(elbow.y).toBeLessThan(shoulderL.y - 0.1)
    expect(elbow.x).toBeGreaterThan(shoulderL.x)
  })

  it('mirrors for the right arm', () => {
    const l = hint('left', new Vector3(0.25, 1.0, 0.15))
    const r = hint('right', new Vector3(-0.25, 1.0, 0.15))
    expect(r.x).toBeCloseTo(-l.x, 6)
    expect(r.y).toBeCloseTo(l.y, 6)
    expect(r.z).toBeCloseTo(l.z, 6)
  })

  it('lifts the elbow as the hand rises, and higher still when the hand goes up behind the head', () => {
    // Hand sweeps from low-front to overhead at a fixed reach: the elbow climbs, and its bend
    // swings from "down" (hand at chest height) toward "out" (hand overhead).
    let lastY = -Infinity
    let offsetAtLevel = 0
    let offsetOverhead = 0
    for (let deg = -25; deg <= 80; deg += 15) {
      const a = (deg * Math.PI) / 180
      const hand = shoulderL.clone().add(new Vector3(0.12, 0.38 * Math.sin(a), 0.38 * Math.cos(a)))
      const elbow = elbowFor('left', hand)
      expect(elbow.y).toBeGreaterThan(lastY)
      lastY = elbow.y
      const u = hand.clone().sub(shoulderL).normalize()
      const off = elbow.clone().sub(shoulderL)
      off.addScaledVector(u, -off.dot(u)).normalize()
      if (deg === -10) offsetAtLevel = off.y
      if (deg === 80) offsetOverhead = off.y
      expect(off.x).toBeGreaterThan(0) // always out, never into the chest
    }
    expect(offsetOverhead).toBeGreaterThan(offsetAtLevel + 0.3)
    const front = elbowFor('left', new Vector3(0.1, 1.75, 0.15))
    const behind = elbowFor('left', new Vector3(0.1, 1.75, -0.15))
    expect(behind.y).toBeGreaterThan(shoulderL.y)
    expect(behind.z).toBeGreaterThan(-0.15) // elbow points forward-up, not back into the head
    expect(front.x).toBeGreaterThan(shoulderL.x)
  })

  it('follows the body rotation', () => {
    const turn = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2)
    const hand = new Vector3(0.25, 1.0, 0.15)
    const pole = hint('left', hand)
    const rel = pole.clone().sub(shoulderL).sub(hand.clone().sub(shoulderL).multiplyScalar(0.5))
    const handTurned = shoulderL.clone().add(hand.clone().sub(shoulderL).applyQuaternion(turn))
    const poleTurned = hint('left', handTurned, turn)
    const relTurned = poleTurned.clone().sub(shoulderL).sub(handTurned.clone().sub(shoulderL).multiplyScalar(0.5))
    expect(relTurned.distanceTo(rel.applyQuaternion(turn))).toBeLessThan(1e-3)
  })
})
