import { Quaternion, Vector3 } from 'three'
import { collideSphereWithHull, type HullProfile } from './hull'
import type { Vec3Like } from './locomotion'

/**
 * Loose objects floating in the cabin: cargo bags, tools, a filter cartridge or the ping-pong
 * ball once someone lets go of them in mid-air. Each is a sphere that drifts in a straight line
 * (there is nothing to stop it but a whisper of air drag), spins, bounces softly off the hull and
 * off the other loose objects. Held or stowed items are "pinned": the scene places them, and this
 * model skips them until they are let go again.
 *
 * Deterministic for a given sequence of steps and allocation-free per step (no physics engine:
 * a dozen spheres in an axisymmetric hull need none).
 */

/** One loose object. */
export interface LooseItem {
  /** Stable id (task items use the world's item ids, e.g. 'bag-01'). */
  readonly id: string
  /** Collision radius (m). */
  readonly radius: number
  /** Mass (kg), for collisions between items. */
  readonly mass: number
  /** Centre in module space (m). */
  readonly position: Vector3
  /** Linear velocity (m/s). */
  readonly velocity: Vector3
  /** Orientation in module space. */
  readonly orientation: Quaternion
  /** Angular velocity (rad/s), module axes. */
  readonly spin: Vector3
  /** True while it floats free (simulated); false while held, stowed or clipped somewhere. */
  free: boolean
  /** Number of hull contacts so far (for diagnostics and tests). */
  contacts: number
}

/** Definition of an item for {@link createLooseItems}. */
export interface LooseItemDefinition {
  id: string
  radius: number
  /** Mass (kg). Default 1. */
  mass?: number
  /** Start position (module space); items without one start pinned at the origin. */
  position?: Vec3Like
  /** Start velocity (m/s). */
  velocity?: Vec3Like
  /** Start spin (rad/s). */
  spin?: Vec3Like
  /** Starts floating free. Default: true when a position is given. */
  free?: boolean
}

/** Tunables for {@link createLooseItems}. */
export interface LooseItemsOptions {
  /** Air drag (1/s): v ← v·e^(−k·dt). Default 0.02: a drifting bag crosses the module. */
  drag?: number
  /** Spin drag (1/s). Default 0.05. */
  spinDrag?: number
  /** Fraction of normal speed kept when bouncing off the hull or another item. Default 0.4. */
  restitution?: number
  /** Speed cap (m/s) so a wild throw cannot tunnel through a bulkhead. Default 4. */
  maxSpeed?: number
}

/** The set of loose items (mutated in place). */
export interface LooseItems {
  readonly items: readonly LooseItem[]
  readonly config: Readonly<Required<LooseItemsOptions>>
}

/** Creates the loose-item set; throws on duplicate ids or a non-positive radius. */
export function createLooseItems(definitions: readonly LooseItemDefinition[], options: LooseItemsOptions = {}): LooseItems {
  const seen = new Set<string>()
  const items: LooseItem[] = definitions.map((d) => {
    if (seen.has(d.id)) throw new Error(`duplicate loose item '${d.id}'`)
    seen.add(d.id)
    if (!(d.radius > 0)) throw new RangeError(`loose item '${d.id}': radius must be > 0`)
    return {
      id: d.id,
      radius: d.radius,
      mass: d.mass ?? 1,
      position: new Vector3(d.position?.x ?? 0, d.position?.y ?? 0, d.position?.z ?? 0),
      velocity: new Vector3(d.velocity?.x ?? 0, d.velocity?.y ?? 0, d.velocity?.z ?? 0),
      orientation: new Quaternion(),
      spin: new Vector3(d.spin?.x ?? 0, d.spin?.y ?? 0, d.spin?.z ?? 0),
      free: d.free ?? d.position !== undefined,
      contacts: 0,
    }
  })
  return {
    items,
    config: {
      drag: options.drag ?? 0.02,
      spinDrag: options.spinDrag ?? 0.05,
      restitution: options.restitution ?? 0.4,
      maxSpeed: options.maxSpeed ?? 4,
    },
  }
}

/** The item with `id`, or null. */
export function findLooseItem(set: LooseItems, id: string): LooseItem | null {
  for (const item of set.items) if (item.id === id) return item
  return null
}

/**
 * Pins an item (held, stowed, clipped): it stops being simulated. If `position` is given the
 * item is moved there (the scene keeps moving a held item with the hand).
 */
export function pinLooseItem(item: LooseItem, position?: Vec3Like, orientation?: Quaternion): void {
  item.free = false
  item.velocity.set(0, 0, 0)
  item.spin.set(0, 0, 0)
  if (position) item.position.set(position.x, position.y, position.z)
  if (orientation) item.orientation.copy(orientation)
}

/** Lets an item go at `position` with `velocity` (a throw) and optional `spin`. */
export function letGoLooseItem(item: LooseItem, position: Vec3Like, velocity: Vec3Like, spin?: Vec3Like): void {
  item.free = true
  item.position.set(position.x, position.y, position.z)
  item.velocity.set(velocity.x, velocity.y, velocity.z)
  if (spin) item.spin.set(spin.x, spin.y, spin.z)
}

/**
 * Writes an item's state into `out` (13 numbers): position, orientation (x, y, z, w), velocity,
 * spin — what a crew mate's module needs to let the same item drift the same way
 * ({@link letGoLooseItemFromState}). Returns `out`.
 */
export function writeLooseItemState<T extends { [i: number]: number }>(item: LooseItem, out: T): T {
  const { position: p, orientation: q, velocity: v, spin: w } = item
  out[0] = p.x
  out[1] = p.y
  out[2] = p.z
  out[3] = q.x
  out[4] = q.y
  out[5] = q.z
  out[6] = q.w
  out[7] = v.x
  out[8] = v.y
  out[9] = v.z
  out[10] = w.x
  out[11] = w.y
  out[12] = w.z
  return out
}

/**
 * Lets an item go from a state written by {@link writeLooseItemState} (a crew mate's release): from
 * the same numbers, {@link updateLooseItems} drifts it along the same path in every module.
 */
export function letGoLooseItemFromState(item: LooseItem, state: ArrayLike<number>): void {
  item.free = true
  item.position.set(state[0], state[1], state[2])
  item.orientation.set(state[3], state[4], state[5], state[6]).normalize()
  item.velocity.set(state[7], state[8], state[9])
  item.spin.set(state[10], state[11], state[12])
}

/** Index of the nearest free item whose surface is within `reach` (m) of `point`, or −1. */
export function nearestFreeItem(set: LooseItems, point: Vec3Like, reach: number): number {
  let best = -1
  let bestD = Infinity
  for (let i = 0; i < set.items.length; i++) {
    const it = set.items[i]
    if (!it.free) continue
    const d = Math.hypot(it.position.x - point.x, it.position.y - point.y, it.position.z - point.z) - it.radius
    if (d <= reach && d < bestD) {
      bestD = d
      best = i
    }
  }
  return best
}

const normal = new Vector3()
const delta = new Vector3()
const spinQ = new Quaternion()

function capSpeed(v: Vector3, max: number): void {
  const s = v.length()
  if (s > max) v.multiplyScalar(max / s)
}

/** Advances every free item by `dtSeconds`: drift, drag, spin, hull and item-item contacts. */
export function updateLooseItems(set: LooseItems, dtSeconds: number, hull: HullProfile): void {
  if (!(dtSeconds > 0)) return
  const { drag, spinDrag, restitution, maxSpeed } = set.config
  const items = set.items
  const linearDecay = Math.exp(-drag * dtSeconds)
  const spinDecay = Math.exp(-spinDrag * dtSeconds)
  for (let i = 0; i < items.length; i++) {
    const it = items[i]
    if (!it.free) continue
    it.velocity.multiplyScalar(linearDecay)
    capSpeed(it.velocity, maxSpeed)
    it.position.addScaledVector(it.velocity, dtSeconds)
    it.spin.multiplyScalar(spinDecay)
    // q ← q + ½·ω·q·dt, renormalised: exact enough at frame-rate steps.
    const w = it.spin
    if (w.x !== 0 || w.y !== 0 || w.z !== 0) {
      const q = it.orientation
      spinQ.set(w.x, w.y, w.z, 0).multiply(q)
      q.set(q.x + 0.5 * dtSeconds * spinQ.x, q.y + 0.5 * dtSeconds * spinQ.y, q.z + 0.5 * dtSeconds * spinQ.z, q.w + 0.5 * dtSeconds * spinQ.w).normalize()
    }
    const contact = collideSphereWithHull(hull, it.position, it.radius, it.velocity, restitution, normal)
    if (contact.hit) it.contacts++
  }
  // Item against item: push apart along the centre line, exchange momentum along it (soft bounce).
  for (let i = 0; i < items.length; i++) {
    const a = items[i]
    if (!a.free) continue
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]
      if (!b.free) continue
      delta.copy(b.position).sub(a.position)
      const dist = delta.length()
      const overlap = a.radius + b.radius - dist
      if (overlap <= 0 || dist < 1e-9) continue
      delta.multiplyScalar(1 / dist)
      const total = a.mass + b.mass
      a.position.addScaledVector(delta, (-overlap * b.mass) / total)
      b.position.addScaledVector(delta, (overlap * a.mass) / total)
      const approach = a.velocity.dot(delta) - b.velocity.dot(delta)
      if (approach > 0) {
        const impulse = ((1 + restitution) * approach) / total
        a.velocity.addScaledVector(delta, -impulse * b.mass)
        b.velocity.addScaledVector(delta, impulse * a.mass)
      }
    }
  }
}

/** Total momentum magnitude of the free items (kg·m/s), for tests and diagnostics. */
export function looseItemsMomentum(set: LooseItems, out: Vector3): Vector3 {
  out.set(0, 0, 0)
  for (const it of set.items) if (it.free) out.addScaledVector(it.velocity, it.mass)
  return out
}
