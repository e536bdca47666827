import { Vector3 } from 'three'
import { acknowledgeAlarms, createLifeSupport, lifeSupportSnapshot, raiseAlarm, setFilterCartridge, updateLifeSupport, type LifeSupport } from './life-support.ts'
import type { Vec3Like } from './locomotion'
import { STOWAGE_SLOT_IDS } from './module-layout.ts'
import type { DispatchAction } from './procedure-engine'
import { ARM_DEFAULT_BASE, armTipDistance, createRobotArm, updateRobotArm, type RobotArm } from './robot-arm.ts'
import { createWaterBall, dispenseWaterBall, placeBall, removeBall, updateWaterBall, type WaterBall } from './water-ball.ts'

/**
 * The mutable state the Tianhe tasks act on: life support, the robotic arm, the water-ball demo,
 * cargo and stowage, the filter, the treadmill. The scene reports user actions with
 * {@link applyTianheAction} (physical effect) and then to the procedure runner (judgement); see
 * `performTianheAction` in tasks.ts. {@link updateTianheWorld} steps the simulations each frame.
 */

/** Item ids that are not fixtures. */
export const ITEM_IDS = {
  oldCartridge: 'cartridge-old',
  newCartridge: 'cartridge-new',
  pingPongBall: 'ping-pong-ball',
} as const

/** Default cargo: bag id → stowage slot, as printed on the stowage list. */
export const DEFAULT_STOWAGE_LIST: Readonly<Record<string, string>> = {
  'bag-01': 'stowage-s03',
  'bag-02': 'stowage-s01',
  'bag-03': 'stowage-s06',
  'bag-04': 'stowage-s04',
}

/** Where the spare filter cartridge is stowed at the start. */
export const SPARE_CARTRIDGE_SLOT = 'stowage-s08'

/** Arm target used by the robotic-arm task: 2.5 m to +X, 3.5 m out, 3 m aft of the base. */
export const DEFAULT_ARM_TARGET: Readonly<Vec3Like> = { x: ARM_DEFAULT_BASE.x + 2.5, y: ARM_DEFAULT_BASE.y + 3.5, z: ARM_DEFAULT_BASE.z - 3.0 }

/** Required tip accuracy for the arm task (m). */
export const ARM_TARGET_TOLERANCE_M = 0.3

/** Items a hand can hold at once (two hands). */
export const MAX_HELD_ITEMS = 2

/** World state (mutated in place). */
export interface TianheWorld {
  readonly lifeSupport: LifeSupport
  readonly arm: RobotArm
  /** Target point for the arm task (module space). */
  readonly armTarget: Vector3
  armPowered: boolean
  armBraked: boolean
  /** 'joint' = single-joint mode; the sticks drive the tip only in 'cartesian'. */
  armMode: 'joint' | 'cartesian'
  /** Which workstation joysticks are held. */
  readonly armGrips: { left: boolean; right: boolean }
  /** Current stick deflections (set by the scene every frame). */
  readonly armInput: { readonly translation: Vector3; readonly rotation: Vector3 }
  readonly waterBall: WaterBall
  /** The ping-pong ball sits in its holder at the water-ball station. */
  pingPongAtStation: boolean
  consoleAwake: boolean
  tianzhouHatchOpen: boolean
  /** Bags still inside the Tianzhou cargo ship. */
  readonly tianzhouCargo: string[]
  /** Stowage slot → item (null = empty). */
  readonly stowage: Record<string, string | null>
  /** Items in the astronaut's hands. */
  readonly held: string[]
  /** The stowage list used for this session (bag → slot). */
  readonly stowageList: Readonly<Record<string, string>>
  readonly treadmill: { harnessed: boolean; running: boolean; runTimeS: number }
  /** Simulated time (s). */
  timeS: number
}

/** Options for {@link createTianheWorld}. */
export interface TianheWorldOptions {
  /** Seed for the life-support drift. */
  seed: number
  /** Bag → slot list (default {@link DEFAULT_STOWAGE_LIST}). */
  stowageList?: Readonly<Record<string, string>>
  /** Arm target (default {@link DEFAULT_ARM_TARGET}). */
  armTarget?: Vec3Like
  /** Start of the day: the caution & warning self-test alarm is showing (default true). */
  morningAlarm?: boolean
}

/** Creates the world at the start of a session. */
export function createTianheWorld(options: TianheWorldOptions): TianheWorld {
  const stowageList = { ...(options.stowageList ?? DEFAULT_STOWAGE_LIST) }
  const stowage: Record<string, string | null> = {}
  for (const slot of STOWAGE_SLOT_IDS) stowage[slot] = null
  stowage['stowage-waste'] = null
  for (const [bag, slot] of Object.entries(stowageList)) {
    if (!(slot in stowage)) throw new Error(`stowage list: unknown slot '${slot}' for ${bag}`)
    if (slot === SPARE_CARTRIDGE_SLOT || slot === 'stowage-waste') throw new Error(`stowage list: slot '${slot}' is reserved`)
  }
  stowage[SPARE_CARTRIDGE_SLOT] = ITEM_IDS.newCartridge
  const target = options.armTarget ?? DEFAULT_ARM_TARGET
  const lifeSupport = createLifeSupport({ seed: options.seed })
  if (options.morningAlarm ?? true) raiseAlarm(lifeSupport, 'cw-test')
  return {
    lifeSupport,
    arm: createRobotArm(),
    armTarget: new Vector3(target.x, target.y, target.z),
    armPowered: false,
    armBraked: true,
    armMode: 'joint',
    armGrips: { left: false, right: false },
    armInput: { translation: new Vector3(), rotation: new Vector3() },
    waterBall: createWaterBall(),
    pingPongAtStation: true,
    consoleAwake: false,
    tianzhouHatchOpen: false,
    tianzhouCargo: Object.keys(stowageList),
    stowage,
    held: [],
    stowageList,
    treadmill: { harnessed: false, running: false, runTimeS: 0 },
    timeS: 0,
  }
}

/** Sets the workstation stick deflections (left = translation, right = rotation), each in [−1, 1]. */
export function setArmJoysticks(world: TianheWorld, translation: Vec3Like, rotation: Vec3Like): void {
  world.armInput.translation.set(translation.x, translation.y, translation.z)
  world.armInput.rotation.set(rotation.x, rotation.y, rotation.z)
}

/** True while the arm answers the sticks. */
export function armDriveEnabled(world: TianheWorld): boolean {
  return world.armPowered && !world.armBraked && world.armMode === 'cartesian'
}

/** Distance (m) from the arm tip to the task target. */
export function armTargetDistance(world: TianheWorld): number {
  return armTipDistance(world.arm, world.armTarget)
}

/** Advances all simulations by `dtSeconds` (allocation-free; call at a fixed step). */
export function updateTianheWorld(world: TianheWorld, dtSeconds: number): void {
  if (!(dtSeconds > 0)) return
  world.timeS += dtSeconds
  updateLifeSupport(world.lifeSupport, dtSeconds)
  if (armDriveEnabled(world)) updateRobotArm(world.arm, dtSeconds, world.armInput.translation, world.armInput.rotation)
  updateWaterBall(world.waterBall, dtSeconds)
  const t = world.treadmill
  if (t.running && t.harnessed) t.runTimeS += dtSeconds
}

function take(world: TianheWorld, item: string): boolean {
  if (world.held.length >= MAX_HELD_ITEMS || world.held.includes(item)) return false
  world.held.push(item)
  return true
}

function drop(world: TianheWorld, item: string): void {
  const i = world.held.indexOf(item)
  if (i >= 0) world.held.splice(i, 1)
}

function cartridgeItem(ls: LifeSupport): string | null {
  return ls.cartridge === 'old' ? ITEM_IDS.oldCartridge : ls.cartridge === 'new' ? ITEM_IDS.newCartridge : null
}

/**
 * Applies the physical effect of a user action (whether or not it is the right step). Returns
 * true if something changed. Impossible actions (placing an item you do not hold, pulling a
 * latched cartridge) change nothing.
 */
export function applyTianheAction(world: TianheWorld, action: DispatchAction): boolean {
  const { fixture, item, value } = action
  const ls = world.lifeSupport
  switch (action.type) {
    case 'grab': {
      if (!item) {
        if (fixture === 'treadmill-harness') world.treadmill.harnessed = true
        else if (fixture === 'arm-joystick-left') world.armGrips.left = true
        else if (fixture === 'arm-joystick-right') world.armGrips.right = true
        else return false
        return true
      }
      if (fixture === 'hatch-tianzhou') {
        const i = world.tianzhouCargo.indexOf(item)
        if (!world.tianzhouHatchOpen || i < 0 || !take(world, item)) return false
        world.tianzhouCargo.splice(i, 1)
        return true
      }
      if (fixture in world.stowage) {
        if (world.stowage[fixture] !== item || !take(world, item)) return false
        world.stowage[fixture] = null
        return true
      }
      if (fixture === 'filter-slot') {
        if (!ls.panelOpen || ls.cartridgeLocked || cartridgeItem(ls) !== item || !take(world, item)) return false
        setFilterCartridge(ls, 'none', false)
        return true
      }
      if (fixture === 'water-ball-station' && item === ITEM_IDS.pingPongBall) {
        if (!world.pingPongAtStation || !take(world, item)) return false
        world.pingPongAtStation = false
        return true
      }
      if (fixture === 'water-ball' && item === ITEM_IDS.pingPongBall) {
        if (!world.waterBall.ballInside || !take(world, item)) return false
        removeBall(world.waterBall)
        return true
      }
      return false
    }
    case 'place': {
      if (!item || !world.held.includes(item)) return false
      if (fixture in world.stowage) {
        if (world.stowage[fixture] !== null) return false
        world.stowage[fixture] = item
      } else if (fixture === 'filter-slot') {
        if (!ls.panelOpen || ls.cartridge !== 'none') return false
        if (item === ITEM_IDS.newCartridge) setFilterCartridge(ls, 'new', false)
        else if (item === ITEM_IDS.oldCartridge) setFilterCartridge(ls, 'old', false)
        else return false
      } else if (fixture === 'water-ball' && item === ITEM_IDS.pingPongBall) {
        if (!placeBall(world.waterBall)) return false
      } else if (fixture === 'water-ball-station' && item === ITEM_IDS.pingPongBall) {
        world.pingPongAtStation = true
      } else if (fixture === 'hatch-tianzhou' && world.tianzhouHatchOpen) {
        world.tianzhouCargo.push(item)
      } else {
        return false
      }
      drop(world, item)
      return true
    }
    case 'press':
    case 'ack': {
      if (fixture === 'alarm-ack') return acknowledgeAlarms(ls) > 0
      if (fixture === 'console-main') {
        if (world.consoleAwake) return false
        world.consoleAwake = true
        return true
      }
      if (fixture === 'arm-console') {
        if (value === 'power-on') world.armPowered = true
        else if (value === 'power-off') {
          world.armPowered = false
          world.armBraked = true
        } else if (value === 'brake') world.armBraked = true
        else if (value === 'release-brake' && world.armPowered) world.armBraked = false
        else return false
        return true
      }
      if (fixture === 'water-ball-station' && action.type === 'press') {
        if (world.waterBall.active) return false
        dispenseWaterBall(world.waterBall)
        return true
      }
      if (fixture === 'treadmill') {
        // The treadmill only runs with the harness on: without it you would float off.
        if (value === 'start' && world.treadmill.harnessed) world.treadmill.running = true
        else if (value === 'stop') world.treadmill.running = false
        else return false
        return true
      }
      return false
    }
    case 'turn': {
      if (fixture === 'filter-panel' && (value === 'open' || value === 'closed')) {
        ls.panelOpen = value === 'open'
        return true
      }
      if (fixture === 'filter-slot' && (value === 'locked' || value === 'unlocked')) {
        if (ls.cartridge === 'none') return false
        ls.cartridgeLocked = value === 'locked'
        return true
      }
      if (fixture === 'hatch-tianzhou' && (value === 'open' || value === 'closed')) {
        world.tianzhouHatchOpen = value === 'open'
        return true
      }
      if (fixture === 'arm-console' && (value === 'cartesian' || value === 'joint')) {
        world.armMode = value
        // Entering the tip-control mode releases the brakes of a powered arm.
        if (value === 'cartesian' && world.armPowered) world.armBraked = false
        return true
      }
      return false
    }
    case 'read':
      return false
  }
}

/** `snapshot().tianhe.world`, as {@link tianheWorldSnapshot} computes it. */
export type TianheWorldSnapshot = ReturnType<typeof tianheWorldSnapshot>

/** A JSON-serialisable summary for `window.lingjing.snapshot()`. */
export function tianheWorldSnapshot(world: TianheWorld) {
  return {
    timeS: Math.round(world.timeS * 1000) / 1000,
    lifeSupport: lifeSupportSnapshot(world.lifeSupport),
    arm: {
      powered: world.armPowered,
      braked: world.armBraked,
      mode: world.armMode,
      q: Array.from(world.arm.q, (v) => Math.round(v * 1e4) / 1e4),
      targetDistanceM: Math.round(armTargetDistance(world) * 1000) / 1000,
    },
    waterBall: { active: world.waterBall.active, ballInside: world.waterBall.ballInside, stillTimeS: Math.round(world.waterBall.stillTimeS * 100) / 100 },
    cargo: { tianzhou: [...world.tianzhouCargo], held: [...world.held], stowage: { ...world.stowage } },
    treadmill: { ...world.treadmill },
  }
}

/**
 * Lets go of a held item in mid-air: it leaves the hands and floats free (see {@link itemLocation}).
 * Returns false if the item was not held. Not a procedure action: nothing is judged.
 */
export function releaseItem(world: TianheWorld, item: string): boolean {
  if (!world.held.includes(item)) return false
  drop(world, item)
  return true
}

/**
 * Catches a free-floating item (one that was let go in mid-air). Returns false if the item is
 * not free or both hands are full. Not a procedure action: auto steps that wait for the item in
 * hand (e.g. "take the bag back") complete on the next tick.
 */
export function catchItem(world: TianheWorld, item: string): boolean {
  if (itemLocation(world, item).kind !== 'free') return false
  return take(world, item)
}

/** Lets go of a workstation joystick (the arm stops answering that stick). */
export function releaseArmGrip(world: TianheWorld, side: 'left' | 'right'): void {
  world.armGrips[side] = false
  if (side === 'left') world.armInput.translation.set(0, 0, 0)
  else world.armInput.rotation.set(0, 0, 0)
}

/** Kinds of place a task item can be. */
export type ItemLocationKind = 'held' | 'stowed' | 'cargo' | 'filter-slot' | 'station' | 'water-ball' | 'free'

/** Where a task item is now, from the world state (the scene renders it there). */
export interface ItemLocation {
  kind: ItemLocationKind
  /** Stowage slot id when 'stowed', else ''. */
  slot: string
  /** Position in the Tianzhou cargo list when 'cargo', else −1. */
  index: number
}

/** A reusable {@link ItemLocation} for {@link locateItem}. */
export function createItemLocation(): ItemLocation {
  return { kind: 'free', slot: '', index: -1 }
}

/**
 * Where `item` is: in a hand, in a stowage slot, still in the Tianzhou cargo ship, in the filter
 * slot, clipped to the water-ball station, inside the water ball, or floating free (let go in
 * mid-air). Writes into `out` (allocation-free, for per-frame rendering) and returns it.
 */
export function locateItem(world: TianheWorld, item: string, out: ItemLocation): ItemLocation {
  out.slot = ''
  out.index = -1
  if (world.held.includes(item)) {
    out.kind = 'held'
    return out
  }
  for (const slot in world.stowage) {
    if (world.stowage[slot] === item) {
      out.kind = 'stowed'
      out.slot = slot
      return out
    }
  }
  const cargo = world.tianzhouCargo.indexOf(item)
  if (cargo >= 0) {
    out.kind = 'cargo'
    out.index = cargo
    return out
  }
  const ls = world.lifeSupport
  if ((item === ITEM_IDS.oldCartridge && ls.cartridge === 'old') || (item === ITEM_IDS.newCartridge && ls.cartridge === 'new')) {
    out.kind = 'filter-slot'
    return out
  }
  if (item === ITEM_IDS.pingPongBall && world.pingPongAtStation) out.kind = 'station'
  else if (item === ITEM_IDS.pingPongBall && world.waterBall.ballInside) out.kind = 'water-ball'
  else out.kind = 'free'
  return out
}

/** {@link locateItem} into a fresh object (for tests and one-off lookups). */
export function itemLocation(world: TianheWorld, item: string): ItemLocation {
  return locateItem(world, item, createItemLocation())
}

/** Every task item the world knows: cargo bags, both filter cartridges and the ping-pong ball. */
export function taskItemIds(world: TianheWorld): string[] {
  return [...Object.keys(world.stowageList), ITEM_IDS.oldCartridge, ITEM_IDS.newCartridge, ITEM_IDS.pingPongBall]
}
