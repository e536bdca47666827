import { Euler, Matrix4, Quaternion, Raycaster, Vector3, type Intersection, type Object3D } from 'three'
import {
  GRABBABLE_FIXTURES,
  applyThrust,
  cancelAutopilot,
  catchItem,
  findLooseItem,
  findNearestHandrail,
  grabAction,
  letGoLooseItem,
  triggerAction,
  locateItem,
  pinLooseItem,
  placeAction,
  releaseArmGrip,
  releaseItem,
  setArmJoysticks,
  smoothTurn,
  snapTurn,
  tryGrab,
  updateAutopilot,
  updateFloatBody,
  type TrackingInput,
} from '../../core/tianhe'
import { raySphere } from '../../core/mascot/guide-float'
import { LEFT_SLOT, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { heldByHint } from '../../core/venue/item-locks'
import { performAction, type HandRuntime, type HandSide, type TianheSession } from './tianhe-session'

/**
 * The visitor's hands and body in the module, once per frame (registered in the 'animation'
 * phase; no per-entity useFrame): reads the XR input sources into the session, turns grip
 * presses into handrail grabs (hand over hand), item and fixture grabs, releases into placements
 * or throws, drives the arm workstation's sticks, turns, thrust and the optional autopilot, then
 * steps the core float body. Allocation-free per frame except where the user acts (a grab or a
 * release does a raycast).
 */

/** Objects the hands can pick (set by the components that own them). */
export interface PickTargets {
  /** Fixture hit boxes (InstancedMesh; instance i is fixture `proxyIds[i]`). */
  proxies: Object3D | null
  proxyIds: readonly string[]
  /** Loose-item meshes; `userData.itemIds[instanceId]` (or `userData.itemId`) names the item. */
  items: Object3D[]
  /** The crew tablet's mesh and its click handler (texture coordinates). */
  tablet: Object3D | null
  onTablet: ((u: number, v: number) => void) | null
  /** Xiaoguan, the guide (a pick sphere in module space): a trigger on it asks for the hint. */
  guide?: { readonly center: Vector3; readonly radius: number; enabled: boolean; ask: () => void } | null
}

/** Reach (m) for near grabs: from the hand to an item's surface or into a fixture's hit box. */
export const NEAR_REACH = 0.12
/** Longest distance grab / placement along the controller ray (m). */
export const RAY_REACH = 3.2
/** Joystick deflection: hand offset (m) for full deflection. */
const STICK_TRAVEL = 0.08

const scratch = {
  a: new Vector3(),
  b: new Vector3(),
  closest: new Vector3(),
  trans: new Vector3(),
  rot: new Vector3(),
  thrust: new Vector3(),
  q: new Quaternion(),
  e: new Euler(0, 0, 0, 'YXZ'),
}

const SIDES: readonly HandSide[] = ['left', 'right']

const tracking: TrackingInput = {
  left: { gripping: false, position: new Vector3() },
  right: { gripping: false, position: new Vector3() },
  head: new Vector3(),
}

/** Tracking space → module space (rig origin + yaw). */
export function toModule(session: TianheSession, p: Vector3, out: Vector3): Vector3 {
  return out.copy(p).applyQuaternion(session.body.orientation).add(session.body.position)
}

/** Tracking-space direction → module space. */
export function dirToModule(session: TianheSession, d: Vector3, out: Vector3): Vector3 {
  return out.copy(d).applyQuaternion(session.body.orientation)
}

/** Module space → tracking space. */
export function toTracking(session: TianheSession, p: Vector3, out: Vector3): Vector3 {
  scratch.q.copy(session.body.orientation).invert()
  return out.copy(p).sub(session.body.position).applyQuaternion(scratch.q)
}

/**
 * Reads the XR input sources of this frame into the session (tracking space, relative to
 * `refSpace` = the renderer's reference space). Poses come from the grip and target-ray spaces;
 * buttons from the xr-standard gamepad mapping.
 */
export function readXRInput(session: TianheSession, frame: XRFrame, refSpace: XRReferenceSpace): void {
  const input = session.input
  input.presenting = true
  const viewer = frame.getViewerPose(refSpace)
  if (viewer) {
    const p = viewer.transform.position
    const o = viewer.transform.orientation
    input.head.set(p.x, p.y, p.z)
    input.headQuat.set(o.x, o.y, o.z, o.w)
  }
  input.left.valid = false
  input.right.valid = false
  const sources = frame.session.inputSources
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]
    if (source.handedness !== 'left' && source.handedness !== 'right') continue
    const hand = input[source.handedness]
    const grip = source.gripSpace ? frame.getPose(source.gripSpace, refSpace) : undefined
    const ray = frame.getPose(source.targetRaySpace, refSpace)
    if (!grip && !ray) continue
    const gp = (grip ?? ray)!.transform
    hand.grip.set(gp.position.x, gp.position.y, gp.position.z)
    hand.gripQuat.set(gp.orientation.x, gp.orientation.y, gp.orientation.z, gp.orientation.w)
    const rp = (ray ?? grip)!.transform
    hand.rayOrigin.set(rp.position.x, rp.position.y, rp.position.z)
    scratch.q.set(rp.orientation.x, rp.orientation.y, rp.orientation.z, rp.orientation.w)
    hand.rayDir.set(0, 0, -1).applyQuaternion(scratch.q)
    const pad = source.gamepad
    hand.trigger = !!pad && pad.buttons.length > 0 && pad.buttons[0].pressed
    hand.squeeze = !!pad && pad.buttons.length > 1 && pad.buttons[1].pressed
    hand.buttonA = !!pad && pad.buttons.length > 4 && pad.buttons[4].pressed
    hand.stickX = pad && pad.axes.length > 3 ? pad.axes[2] : 0
    hand.stickY = pad && pad.axes.length > 3 ? pad.axes[3] : 0
    hand.valid = true
  }
}

/**
 * Reads this frame's input from the app's input snapshot (`lj.xrSessions.input`): the same data
 * live and in a replay, where it is the recorded frame of this app frame (the emulator itself
 * shows a replayed pose one frame late). Poses are in the XR origin's reference space.
 */
export function readSnapshotInput(session: TianheSession, snap: XRInputSnapshot): void {
  const input = session.input
  input.presenting = true
  const hp = snap.head.position
  const ho = snap.head.orientation
  input.head.set(hp[0], hp[1], hp[2])
  input.headQuat.set(ho[0], ho[1], ho[2], ho[3])
  for (let slot = 0; slot < 2; slot++) {
    const source = snap.sources[slot]
    const hand = slot === LEFT_SLOT ? input.left : input.right
    hand.valid = source.connected && (source.handedness === 'left' || source.handedness === 'right')
    if (!hand.valid) continue
    const gp = source.grip.position
    const go = source.grip.orientation
    hand.grip.set(gp[0], gp[1], gp[2])
    hand.gripQuat.set(go[0], go[1], go[2], go[3])
    const rp = source.targetRay.position
    const ro = source.targetRay.orientation
    hand.rayOrigin.set(rp[0], rp[1], rp[2])
    scratch.q.set(ro[0], ro[1], ro[2], ro[3])
    hand.rayDir.set(0, 0, -1).applyQuaternion(scratch.q)
    const pad = source.hasGamepad
    hand.trigger = pad && source.pressed[0] === 1
    hand.squeeze = pad && source.pressed[1] === 1
    hand.buttonA = pad && source.pressed[4] === 1
    hand.stickX = pad ? source.axes[2] : 0
    hand.stickY = pad ? source.axes[3] : 0
  }
}

/**
 * Desktop (not presenting): the head sits at standing eye height, looking along the body's yaw
 * and the mouse pitch; a virtual right hand floats in front of the camera for grabbing.
 */
export function readDesktopInput(session: TianheSession, eyeHeight: number): void {
  const input = session.input
  input.presenting = false
  input.head.set(0, eyeHeight, 0)
  scratch.e.set(input.pitch, 0, 0)
  input.headQuat.setFromEuler(scratch.e)
  input.left.valid = false
  const right = input.right
  right.valid = true
  right.grip.set(0.18, -0.22, -0.45).applyQuaternion(input.headQuat).add(input.head)
  right.gripQuat.copy(input.headQuat)
  right.rayOrigin.copy(input.head)
  right.rayDir.set(0, 0, -1).applyQuaternion(input.headQuat)
}

function handOf(session: TianheSession, side: HandSide): HandRuntime {
  return session.hands[side]
}

const raycaster = new Raycaster()
const hits: Intersection[] = []

/** What a ray or a hand found. */
export interface PickResult {
  kind: 'none' | 'fixture' | 'item'
  id: string
  distance: number
}

const pickResult: PickResult = { kind: 'none', id: '', distance: Infinity }

function itemIdOf(hit: Intersection): string | null {
  const data = hit.object.userData as { itemIds?: string[]; itemId?: string }
  if (data.itemIds && hit.instanceId !== undefined) return data.itemIds[hit.instanceId] ?? null
  return data.itemId ?? null
}

/** Casts a module-space ray against the fixture hit boxes and the items (nearest first). */
export function pickAlongRay(targets: PickTargets, origin: Vector3, dir: Vector3, maxDistance: number, filter?: (kind: 'fixture' | 'item', id: string) => boolean): PickResult {
  pickResult.kind = 'none'
  pickResult.id = ''
  pickResult.distance = Infinity
  raycaster.set(origin, dir)
  raycaster.far = maxDistance
  hits.length = 0
  if (targets.proxies) raycaster.intersectObject(targets.proxies, false, hits)
  for (const m of targets.items) if (m.visible) raycaster.intersectObject(m, false, hits)
  hits.sort((x, y) => x.distance - y.distance)
  for (const hit of hits) {
    if (hit.object === targets.proxies) {
      const id = hit.instanceId !== undefined ? targets.proxyIds[hit.instanceId] : undefined
      if (!id || (filter && !filter('fixture', id))) continue
      pickResult.kind = 'fixture'
      pickResult.id = id
    } else {
      const id = itemIdOf(hit)
      if (!id || (filter && !filter('item', id))) continue
      pickResult.kind = 'item'
      pickResult.id = id
    }
    pickResult.distance = hit.distance
    return pickResult
  }
  return pickResult
}

const boxMatrix = new Matrix4()

/** Fixture whose hit box (grown by `reach`) contains `point`, nearest centre first, or ''. */
export function fixtureNear(targets: PickTargets, point: Vector3, reach: number, filter?: (id: string) => boolean): string {
  const mesh = targets.proxies as (Object3D & { count?: number; getMatrixAt?: (i: number, m: Matrix4) => void }) | null
  if (!mesh || !mesh.getMatrixAt || mesh.count === undefined) return ''
  let best = ''
  let bestD = Infinity
  const m = boxMatrix
  for (let i = 0; i < mesh.count; i++) {
    const id = targets.proxyIds[i]
    if (filter && !filter(id)) continue
    mesh.getMatrixAt(i, m)
    // Box half-sizes are the scale of the instance matrix; test in its local (unit-box) space.
    const sx = scratch.a.setFromMatrixColumn(m, 0).length()
    const sy = scratch.b.setFromMatrixColumn(m, 1).length()
    const sz = scratch.closest.setFromMatrixColumn(m, 2).length()
    m.invert()
    scratch.a.copy(point).applyMatrix4(m)
    const dx = Math.max(0, Math.abs(scratch.a.x) * sx - sx / 2)
    const dy = Math.max(0, Math.abs(scratch.a.y) * sy - sy / 2)
    const dz = Math.max(0, Math.abs(scratch.a.z) * sz - sz / 2)
    const d = Math.hypot(dx, dy, dz)
    if (d <= reach && d < bestD) {
      bestD = d
      best = id
    }
  }
  return best
}

function isTaskItem(session: TianheSession, id: string): boolean {
  return id in session.world.stowageList || id.startsWith('cartridge-') || id === 'ping-pong-ball'
}

/** Fixture a pinned task item is at (for grabbing it off that fixture), or ''. */
export function fixtureHolding(session: TianheSession, item: string): string {
  const loc = locateItem(session.world, item, session.location)
  switch (loc.kind) {
    case 'stowed':
      return loc.slot
    case 'cargo':
      return 'hatch-tianzhou'
    case 'filter-slot':
      return 'filter-slot'
    case 'station':
      return 'water-ball-station'
    case 'water-ball':
      return 'water-ball'
    default:
      return ''
  }
}

// Takes an item into the hand: a free one is caught; a pinned task item is grabbed off its fixture.
// A task item another crew member holds cannot be taken: the status line says who has it.
function takeItem(session: TianheSession, hand: HandRuntime, item: string): boolean {
  const loose = findLooseItem(session.items, item)
  if (!loose) return false
  const holder = isTaskItem(session, item) ? session.crew?.heldByOther(item) : null
  if (holder) {
    session.status = { text: heldByHint(holder.name), tone: 'bad' }
    session.version++
    return false
  }
  if (!isTaskItem(session, item)) {
    if (!loose.free) return false
    pinLooseItem(loose)
    hand.holding = 'item'
    hand.item = item
    return true
  }
  if (loose.free || locateItem(session.world, item, session.location).kind === 'free') {
    if (!catchItem(session.world, item)) return false
    session.version++
  } else {
    const fixture = fixtureHolding(session, item)
    const action = fixture ? grabAction(session.world, fixture, item) : null
    if (!action || action.item !== item) return false
    performAction(session, action)
    if (!session.world.held.includes(item)) return false
  }
  pinLooseItem(loose)
  hand.holding = 'item'
  hand.item = item
  session.crew?.took(item, sideOf(session, hand))
  return true
}

function sideOf(session: TianheSession, hand: HandRuntime): HandSide {
  return session.hands.left === hand ? 'left' : 'right'
}

function grabFixture(session: TianheSession, hand: HandRuntime, fixture: string): boolean {
  const action = grabAction(session.world, fixture)
  if (!action) return false
  if (action.item) return takeItem(session, hand, action.item)
  performAction(session, action)
  if (fixture === 'arm-joystick-left' || fixture === 'arm-joystick-right') {
    hand.holding = 'joystick'
    hand.joystick = fixture
    hand.joystickAnchor.copy(hand.world)
  } else {
    hand.holding = 'fixture'
  }
  return true
}

/** Squeeze pressed: the nearest thing in reach (item, grabbable fixture, handrail), else along the ray. */
export function squeezeDown(session: TianheSession, side: HandSide, targets: PickTargets): void {
  const hand = handOf(session, side)
  if (hand.holding !== 'none') return
  // 1. Something in the hand's reach: a loose item, or a fixture with something to take.
  for (const loose of session.items.items) {
    if (!loose.free) continue
    if (loose.position.distanceTo(hand.world) - loose.radius <= NEAR_REACH && takeItem(session, hand, loose.id)) return
  }
  const near = fixtureNear(targets, hand.world, NEAR_REACH * 0.5, (id) => GRABBABLE_FIXTURES.includes(id) || grabAction(session.world, id) !== null)
  if (near && grabFixture(session, hand, near)) return
  // 2. A handrail: hand over hand.
  const rail = findNearestHandrail(session.layout.handrails, hand.world, NEAR_REACH, scratch.closest)
  if (rail >= 0 && session.view === 'inside' && tryGrab(session.body, side, hand.world, session.layout.handrails, NEAR_REACH)) {
    cancelAutopilot(session.autopilot)
    hand.holding = 'rail'
    return
  }
  // 3. Along the ray (distance grab), but only things that can be taken.
  const pick = pickAlongRay(targets, hand.rayOriginWorld, hand.rayDirWorld, RAY_REACH, (kind, id) =>
    kind === 'item' ? true : GRABBABLE_FIXTURES.includes(id) || grabAction(session.world, id) !== null,
  )
  if (pick.kind === 'item') takeItem(session, hand, pick.id)
  else if (pick.kind === 'fixture') grabFixture(session, hand, pick.id)
}

/** Squeeze released: a rail lets go (locomotion drifts on), an item is placed or thrown. */
export function squeezeUp(session: TianheSession, side: HandSide, targets: PickTargets): void {
  const hand = handOf(session, side)
  const holding = hand.holding
  hand.holding = 'none'
  if (holding === 'joystick') {
    releaseArmGrip(session.world, hand.joystick === 'arm-joystick-left' ? 'left' : 'right')
    hand.joystick = null
    session.version++
    return
  }
  if (holding !== 'item' || !hand.item) return
  const item = hand.item
  hand.item = null
  const loose = findLooseItem(session.items, item)
  if (isTaskItem(session, item)) {
    // A place it can go, in reach of the hand or along the ray.
    const canGo = (id: string) => placeAction(session.world, id, item) !== null
    let target = fixtureNear(targets, hand.world, NEAR_REACH, canGo)
    if (!target) {
      const pick = pickAlongRay(targets, hand.rayOriginWorld, hand.rayDirWorld, RAY_REACH, (kind, id) => kind === 'fixture' && canGo(id))
      if (pick.kind === 'fixture') target = pick.id
    }
    const action = target ? placeAction(session.world, target, item) : null
    if (action) performAction(session, action)
    if (session.world.held.includes(item)) {
      releaseItem(session.world, item)
      session.version++
      if (loose) letGoLooseItem(loose, hand.world, hand.velocity, throwSpin(hand))
      // Let go floating: the crew's modules drift it from the same state.
      session.crew?.letGo(item, side, loose)
    } else session.crew?.letGo(item, side, null)
    return
  }
  if (loose) letGoLooseItem(loose, hand.world, hand.velocity, throwSpin(hand))
}

// A thrown thing tumbles a little, more the faster it goes.
function throwSpin(hand: HandRuntime): Vector3 {
  return scratch.b.set(hand.velocity.z, hand.velocity.x, -hand.velocity.y).multiplyScalar(3)
}

const isFixture = (kind: 'fixture' | 'item') => kind === 'fixture'

/**
 * Trigger pulled in XR: whatever the controller ray meets first — the tablet (a button on it) or a
 * fixture's hit box — gets the click. Read from the gamepad each frame rather than from pointer
 * click events, so a click works at any frame rate (a slow frame never stretches it past a
 * click-time limit).
 */
export function triggerDown(session: TianheSession, side: HandSide, targets: PickTargets): void {
  const hand = handOf(session, side)
  raycaster.set(hand.rayOriginWorld, hand.rayDirWorld)
  raycaster.far = 50
  hits.length = 0
  // The tablet catches the ray only from its front: a hand that has reached past it (to a fixture
  // behind it) points at the fixture, not at the back of the tablet.
  if (targets.tablet && targets.tablet.visible) {
    scratch.a.copy(hand.rayOriginWorld)
    targets.tablet.worldToLocal(scratch.a)
    if (scratch.a.z > 0.03) raycaster.intersectObject(targets.tablet, false, hits)
  }
  const tabletHit = hits.length > 0 ? hits[0] : null
  // Triggers act on fixtures; small loose items (a ball on its clip) do not get in the way.
  const pick = pickAlongRay(targets, hand.rayOriginWorld, hand.rayDirWorld, 50, isFixture)
  const last = session.lastPick
  last.gesture = `trigger-${side}`
  // Xiaoguan floating in front of whatever is behind it gets the trigger (it asks for the hint).
  const guide = targets.guide
  const guideAt = guide && guide.enabled ? raySphere(hand.rayOriginWorld, hand.rayDirWorld, guide.center, guide.radius) : -1
  if (guide && guideAt >= 0 && (!tabletHit || guideAt < tabletHit.distance) && (pick.kind === 'none' || guideAt < pick.distance)) {
    last.kind = 'guide'
    last.id = 'xiaoguan'
    last.distance = guideAt
    guide.ask()
    return
  }
  if (tabletHit && tabletHit.uv && (pick.kind === 'none' || tabletHit.distance <= pick.distance)) {
    last.kind = 'tablet'
    last.id = ''
    last.distance = tabletHit.distance
    targets.onTablet?.(tabletHit.uv.x, tabletHit.uv.y)
    return
  }
  last.kind = pick.kind
  last.id = pick.id
  last.distance = pick.distance
  if (pick.kind === 'fixture') triggerFixture(session, pick.id)
}

/** Trigger on a fixture (pointed at with the controller ray or clicked with the mouse). */
export function triggerFixture(session: TianheSession, fixture: string): void {
  const action = triggerAction(session.world, fixture, session.runner.currentStep())
  if (action) performAction(session, action)
}

/**
 * Desktop grab (right click): with an empty virtual hand, takes the clicked item or fixture; with
 * an item in hand, puts it into the clicked fixture if it fits, else lets it float.
 */
export function desktopSqueeze(session: TianheSession, kind: 'fixture' | 'item' | 'none', id: string, targets: PickTargets): void {
  const hand = session.hands.right
  if (hand.holding === 'none') {
    if (kind === 'item') takeItem(session, hand, id)
    else if (kind === 'fixture') grabFixture(session, hand, id)
    return
  }
  if (hand.holding === 'item' && hand.item && kind === 'fixture') {
    const action = placeAction(session.world, id, hand.item)
    if (action) {
      const item = hand.item
      hand.holding = 'none'
      hand.item = null
      session.crew?.letGo(item, 'right', null)
      performAction(session, action)
      if (session.world.held.includes(item)) releaseItem(session.world, item)
      return
    }
  }
  squeezeUp(session, 'right', targets)
}

/** Drops everything a hand holds (tracking lost, session ended). */
export function releaseHand(session: TianheSession, side: HandSide, targets: PickTargets): void {
  const hand = handOf(session, side)
  if (hand.holding !== 'none') squeezeUp(session, side, targets)
}

/**
 * One frame of hands and body: gestures, sticks, turning, thrust, autopilot, the float body.
 * `dtSeconds` is the frame delta (clamped by the caller).
 */
export function stepControls(session: TianheSession, dtSeconds: number, targets: PickTargets): void {
  const { input, body, world } = session
  const { snapArmed, handTucked } = session.latches
  // Module-space hands and rays from tracking space (the rig as it stands this frame).
  for (const side of SIDES) {
    const inp = input[side]
    const hand = session.hands[side]
    if (!inp.valid) {
      if (hand.holding !== 'none') releaseHand(session, side, targets)
      hand.wasSqueeze = false
      continue
    }
    hand.prevWorld.copy(hand.world)
    toModule(session, inp.grip, hand.world)
    if (dtSeconds > 0) {
      scratch.a.copy(hand.world).sub(hand.prevWorld).multiplyScalar(1 / dtSeconds)
      hand.velocity.lerp(scratch.a, 0.5)
    }
    toModule(session, inp.rayOrigin, hand.rayOriginWorld)
    dirToModule(session, inp.rayDir, hand.rayDirWorld)
    if (input.presenting) {
      if (inp.squeeze && !hand.wasSqueeze) squeezeDown(session, side, targets)
      else if (!inp.squeeze && hand.wasSqueeze) squeezeUp(session, side, targets)
      hand.wasSqueeze = inp.squeeze
      if (inp.trigger && !hand.wasTrigger) triggerDown(session, side, targets)
      hand.wasTrigger = inp.trigger
      if (inp.buttonA && !hand.wasA) {
        session.tabletOpen = !session.tabletOpen
        session.version++
      }
      hand.wasA = inp.buttonA
    }
  }

  // Read after the gestures: a tablet press this frame may have switched to the outside view.
  const inside = session.view === 'inside'

  // Workstation sticks: the hand's offset from where it closed round the stick is the deflection.
  scratch.trans.set(0, 0, 0)
  scratch.rot.set(0, 0, 0)
  for (const side of SIDES) {
    const hand = session.hands[side]
    if (hand.holding !== 'joystick') continue
    const v = hand.joystick === 'arm-joystick-left' ? scratch.trans : scratch.rot
    v.copy(hand.world).sub(hand.joystickAnchor).multiplyScalar(1 / STICK_TRAVEL)
    if (v.length() > 1) v.normalize()
  }
  const deskArm = !input.presenting && world.armGrips.left
  if (deskArm) {
    // Desktop: with the translation stick held, the movement keys deflect it instead of thrusting.
    dirToModule(session, scratch.a.copy(input.keys).applyQuaternion(input.headQuat), scratch.trans)
    if (scratch.trans.length() > 1) scratch.trans.normalize()
  }
  setArmJoysticks(world, scratch.trans, scratch.rot)

  // Turning: right thumbstick, snap or smooth (comfort setting), about the head.
  const stick = input.right.valid ? input.right.stickX : 0
  if (input.presenting && inside) {
    if (session.comfort.turn === 'smooth') {
      if (Math.abs(stick) > 0.2) smoothTurn(body, stick, dtSeconds, (session.comfort.smoothDegreesPerSecond * Math.PI) / 180, input.head)
    } else if (Math.abs(stick) > 0.7 && snapArmed.right) {
      snapTurn(body, stick > 0 ? 1 : -1, (session.comfort.snapDegrees * Math.PI) / 180, input.head)
      snapArmed.right = false
    } else if (Math.abs(stick) < 0.3 && !snapArmed.right) {
      snapArmed.right = true
    }
  }

  if (!inside) return

  // Thrust: desktop keys (view-relative); seated players also get the left stick.
  scratch.thrust.set(0, 0, 0)
  if (!input.presenting && !deskArm) {
    scratch.thrust.copy(input.keys).applyQuaternion(input.headQuat)
  } else if (session.comfort.seated && input.left.valid && Math.hypot(input.left.stickX, input.left.stickY) > 0.2) {
    scratch.thrust.set(input.left.stickX, 0, input.left.stickY).applyQuaternion(input.headQuat)
  }
  if (scratch.thrust.lengthSq() > 0) {
    cancelAutopilot(session.autopilot)
    dirToModule(session, scratch.thrust, scratch.a)
    applyThrust(body, scratch.a, dtSeconds)
  }

  // The glide (if any) steers the velocity; the hands are tucked in so a rim does not stall it.
  const gliding = updateAutopilot(session.autopilot, body, session.headWorld, input.head, dtSeconds)
  tracking.head = input.head
  for (const side of SIDES) {
    const t = tracking[side]
    const inp = input[side]
    t.gripping = session.hands[side].holding === 'rail'
    const tucked = gliding || !inp.valid || !input.presenting
    // Switching between the tucked and the tracked hand is a jump, not a hand motion: start afresh.
    if (tucked !== handTucked[side]) body.hands[side].hasLast = false
    handTucked[side] = tucked
    ;(t.position as Vector3).copy(tucked ? input.head : inp.grip)
  }
  updateFloatBody(body, dtSeconds, tracking, session.layout.hull)
  toModule(session, input.head, session.headWorld)
}
