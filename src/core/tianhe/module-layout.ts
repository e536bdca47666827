import type { Vector3 } from 'three'
import type { Bilingual } from '../i18n/strings'
import { createHullProfile, profileRadiusAt, profileVolume, type HullProfile, type ProfilePoint } from './hull.ts'

/**
 * The Tianhe core module (天和核心舱) at true scale, as plain data.
 *
 * Coordinate convention (module space, metres, right-handed like three.js):
 * - The module axis is the Z axis. The fore end (forward docking port of the node cabin) is at
 *   z = 0 and the module runs fore → aft along **−Z**: the aft (Tianzhou) port is at z = −16.6.
 *   A default three.js camera (looking down −Z) placed in the node therefore looks aft, down the
 *   length of the module.
 * - The origin is on the axis, in the plane of the forward docking port. The axis is y = 0: the
 *   scene lifts the whole module (e.g. a group at y = 1.6) if it wants the axis at eye height.
 * - +Y is zenith ("ceiling", the side of the EVA hatch; light tone), −Y is nadir ("floor"; the
 *   nadir docking port; darker tone). X completes the frame (+X is on your left when you face
 *   fore, +Z, with +Y overhead).
 * - Angles around the axis, θ in degrees, are measured from +Y (0°) toward +X (90°): a wall point
 *   is (r·sin θ, r·cos θ, z). 180° is the floor, 270° is −X.
 * - "s" in comments is distance aft of the fore end: z = −s.
 *
 * Dimensions are from public figures (length 16.6 m, max diameter 4.2 m, small column and node
 * about 2.8 m). Interior free radii are smaller than the hull radii because racks and panels line
 * the walls; they are chosen so the pressurised free volume is about the quoted 50 m³. The exact
 * placement of outfitting is schematic (not publicly documented) but consistent with the zones.
 */

export type { Bilingual }

/** A position or direction as a plain tuple (JSON-friendly; the scene can spread it into a Vector3). */
export type Vec3Tuple = readonly [number, number, number]

/** Identifiers of the module's sections. */
export type ZoneId = 'node-cabin' | 'small-column' | 'large-column' | 'aft-passage' | 'resource-cabin'

/** One section of the module along the axis. */
export interface ModuleZone {
  /** Stable id. */
  readonly id: ZoneId
  /** Display name. */
  readonly label: Bilingual
  /** Axial extent [zMin, zMax] in metres (zMin < zMax; both ≤ 0). */
  readonly zRange: readonly [number, number]
  /** Outer hull radius (m): half the section's diameter. */
  readonly radius: number
  /** Free interior radius (m) used for collision; 0 for the unpressurised resource cabin. */
  readonly interiorRadius: number
  /** False for the resource cabin, which is outside the pressure hull (no entry). */
  readonly pressurised: boolean
}

/** A functional area inside a zone (sleep, dining, work …), for labels and lighting scenes. */
export interface ModuleArea {
  /** Stable id. */
  readonly id: string
  /** Display name. */
  readonly label: Bilingual
  /** The section that contains it. */
  readonly zone: ZoneId
  /** Axial extent [zMin, zMax] (m). */
  readonly zRange: readonly [number, number]
}

/** A docking or berthing port or hatch in the pressure hull. */
export interface ModulePort {
  /** Stable id. */
  readonly id: string
  /** Display name. */
  readonly label: Bilingual
  /** Kind of opening. */
  readonly kind: 'docking' | 'berthing' | 'hatch'
  /** Centre of the hatch on the interior hull (m). */
  readonly position: Vec3Tuple
  /** Outward unit normal (through the hatch, away from the cabin). */
  readonly normal: Vec3Tuple
  /** Who uses it. */
  readonly users: Bilingual
}

/** A straight rigid handrail segment; the scene instances one cylinder per segment. */
export interface Handrail {
  /** Stable id. */
  readonly id: string
  /** The section it is in. */
  readonly zone: ZoneId
  /** Segment end points (m). */
  readonly start: Vec3Tuple
  readonly end: Vec3Tuple
}

/** A soft foot-restraint strap on the floor or ceiling. */
export interface FootRestraint {
  /** Stable id. */
  readonly id: string
  /** The section it is in. */
  readonly zone: ZoneId
  /** Centre of the strap pair on the wall (m). */
  readonly position: Vec3Tuple
  /** Unit normal pointing into the cabin (the direction the wearer's body extends). */
  readonly normal: Vec3Tuple
  /** Which wall it is on ("no up or down in orbit", but crews keep a convention). */
  readonly surface: 'floor' | 'ceiling'
}

/** Kinds of interactable fixtures. */
export type FixtureKind =
  | 'console'
  | 'button'
  | 'joystick'
  | 'stowage'
  | 'panel'
  | 'slot'
  | 'station'
  | 'exercise'
  | 'galley'
  | 'quarters'
  | 'hygiene'
  | 'rack'
  | 'hatch'
  | 'demo'

/** An interactable fixture: the procedure engine addresses it by `id`. */
export interface Fixture {
  /** Stable id used in procedure actions (e.g. 'console-main'). */
  readonly id: string
  /** What it is. */
  readonly kind: FixtureKind
  /** Display name (stowage slots carry their printed slot label). */
  readonly label: Bilingual
  /** The section it is in. */
  readonly zone: ZoneId
  /** Interaction point (m): where a hand or ray should meet it. */
  readonly position: Vec3Tuple
  /** Unit normal pointing into the cabin (the face the user sees). */
  readonly normal: Vec3Tuple
  /** Interaction radius (m) around `position`. */
  readonly reach: number
}

/** The whole module as data. */
export interface ModuleLayout {
  /** Overall length (m), including the resource cabin. */
  readonly lengthM: number
  /** Maximum diameter (m). */
  readonly maxDiameterM: number
  /** Sections, fore to aft. */
  readonly zones: readonly ModuleZone[]
  /** Functional areas. */
  readonly areas: readonly ModuleArea[]
  /** Ports and hatches (five ports plus the EVA hatch). */
  readonly ports: readonly ModulePort[]
  /** Handrail segments. */
  readonly handrails: readonly Handrail[]
  /** Foot restraints. */
  readonly footRestraints: readonly FootRestraint[]
  /** Interactable fixtures. */
  readonly fixtures: readonly Fixture[]
  /** The interior profile vertices (z increasing), for building the hull mesh. */
  readonly profile: readonly ProfilePoint[]
  /** The interior as a collision shape (closed at both end hatches). */
  readonly hull: HullProfile
}

/** Overall length of Tianhe (m). */
export const TIANHE_LENGTH_M = 16.6
/** Maximum diameter of Tianhe (m). */
export const TIANHE_MAX_DIAMETER_M = 4.2

// Stations along the axis, as distance aft of the fore end (s, metres).
const NODE_CENTRE_S = 1.45
const NODE_INNER_R = 1.25
const HATCH_R = 0.4
const NODE_END_S = 3.05
const SMALL_INNER_R = 1.0
const CONE_START_S = 7.0
const CONE_END_S = 7.8
const LARGE_INNER_R = 1.4
const LARGE_END_S = 12.6
const AFT_PASSAGE_R = 0.45

// Builds the interior profile fore → aft in s, then flips it to z increasing (z = −s).
function buildProfile(): ProfilePoint[] {
  const bySDistance: { s: number; r: number }[] = [{ s: 0, r: HATCH_R }]
  // The node is a sphere; its forward and aft hatch tunnels are where the sphere narrows to the
  // hatch radius. Sampling the sphere as frustums keeps the collision exact to a few mm.
  const halfAngle = Math.acos(HATCH_R / NODE_INNER_R)
  const samples = 14
  for (let i = 0; i <= samples; i++) {
    const a = -halfAngle + (2 * halfAngle * i) / samples
    bySDistance.push({ s: NODE_CENTRE_S + NODE_INNER_R * Math.sin(a), r: NODE_INNER_R * Math.cos(a) })
  }
  bySDistance.push(
    { s: NODE_END_S, r: HATCH_R },
    // Bulkhead face: the small column opens up from the hatch.
    { s: NODE_END_S, r: SMALL_INNER_R },
    { s: CONE_START_S, r: SMALL_INNER_R },
    { s: CONE_END_S, r: LARGE_INNER_R },
    { s: LARGE_END_S, r: LARGE_INNER_R },
    // Aft bulkhead: the passage to the Tianzhou port runs through the resource cabin.
    { s: LARGE_END_S, r: AFT_PASSAGE_R },
    { s: TIANHE_LENGTH_M, r: AFT_PASSAGE_R },
  )
  return bySDistance.reverse().map((p) => ({ z: p.s === 0 ? 0 : -p.s, r: p.r }))
}

const PROFILE = buildProfile()
const HULL = createHullProfile(PROFILE)

/** Interior free radius r(z) of Tianhe in metres (0 outside the pressurised interior). */
export function hullRadiusAt(z: number): number {
  return profileRadiusAt(HULL, z)
}

/**
 * A point on (or `inset` metres in from) the interior wall at angle θ (degrees, 0 = zenith/+Y,
 * 90 = +X) and distance `s` aft of the fore end.
 */
export function wallPoint(thetaDeg: number, s: number, inset = 0): Vec3Tuple {
  const z = -s
  const r = hullRadiusAt(z) - inset
  const t = (thetaDeg * Math.PI) / 180
  return [round(r * Math.sin(t)), round(r * Math.cos(t)), round(z)]
}

/** The unit normal pointing from the wall at angle θ into the cabin (toward the axis). */
export function wallInwardNormal(thetaDeg: number): Vec3Tuple {
  const t = (thetaDeg * Math.PI) / 180
  // Directions keep 6 decimals so they stay unit length.
  return [round(-Math.sin(t), 1e6), round(-Math.cos(t), 1e6), 0]
}

// Millimetre rounding keeps the data readable in snapshots and stable across platforms.
function round(v: number, scale = 1000): number {
  const r = Math.round(v * scale) / scale
  return r === 0 ? 0 : r
}

function zoneAtS(s: number): ZoneId {
  if (s <= NODE_END_S) return 'node-cabin'
  if (s <= CONE_START_S) return 'small-column'
  if (s <= LARGE_END_S) return 'large-column'
  return 'aft-passage'
}

function zRangeS(s0: number, s1: number): readonly [number, number] {
  return [round(-s1), round(-s0)]
}

function buildZones(): ModuleZone[] {
  return [
    {
      id: 'node-cabin',
      label: { zh: '节点舱', en: 'Node cabin' },
      zRange: zRangeS(0, NODE_END_S),
      radius: 1.4,
      interiorRadius: NODE_INNER_R,
      pressurised: true,
    },
    {
      id: 'small-column',
      label: { zh: '小柱段', en: 'Small-column section' },
      zRange: zRangeS(NODE_END_S, CONE_START_S),
      radius: 1.4,
      interiorRadius: SMALL_INNER_R,
      pressurised: true,
    },
    {
      // Includes the conical transition from 2.8 m to 4.2 m.
      id: 'large-column',
      label: { zh: '大柱段', en: 'Large-column section' },
      zRange: zRangeS(CONE_START_S, LARGE_END_S),
      radius: TIANHE_MAX_DIAMETER_M / 2,
      interiorRadius: LARGE_INNER_R,
      pressurised: true,
    },
    {
      id: 'aft-passage',
      label: { zh: '后向对接通道', en: 'Aft passage to the Tianzhou port' },
      zRange: zRangeS(LARGE_END_S, TIANHE_LENGTH_M),
      radius: AFT_PASSAGE_R + 0.1,
      interiorRadius: AFT_PASSAGE_R,
      pressurised: true,
    },
    {
      // Outside the pressure hull, around the aft passage: propulsion with four ion engines.
      id: 'resource-cabin',
      label: { zh: '资源舱', en: 'Resource cabin (unpressurised)' },
      zRange: zRangeS(LARGE_END_S, TIANHE_LENGTH_M),
      radius: TIANHE_MAX_DIAMETER_M / 2,
      interiorRadius: 0,
      pressurised: false,
    },
  ]
}

function buildAreas(): ModuleArea[] {
  const area = (id: string, zh: string, en: string, s0: number, s1: number): ModuleArea => ({
    id,
    label: { zh, en },
    zone: zoneAtS((s0 + s1) / 2),
    zRange: zRangeS(s0, s1),
  })
  return [
    area('airlock', '节点舱（兼作气闸舱）', 'Node / airlock', 0, NODE_END_S),
    area('sleep', '睡眠区', 'Sleep area', 3.3, 4.6),
    area('hygiene', '卫生区', 'Hygiene area', 4.6, 5.3),
    area('dining', '就餐区', 'Dining area', 5.3, 6.9),
    area('work', '工作区', 'Work area', 7.8, 9.8),
    area('medical', '医监医保区', 'Medical area', 9.4, 9.9),
    area('experiment', '实验区', 'Experiment area', 9.9, 11.0),
    area('exercise', '锻炼区', 'Exercise area', 11.0, 12.5),
  ]
}

function buildPorts(): ModulePort[] {
  const c = NODE_CENTRE_S
  const R = NODE_INNER_R
  const shenzhou = { zh: '神舟载人飞船', en: 'Shenzhou crew ships' }
  const labs = { zh: '问天/梦天实验舱', en: 'Wentian / Mengtian lab modules' }
  return [
    { id: 'port-forward', label: { zh: '前向对接口', en: 'Forward docking port' }, kind: 'docking', position: [0, 0, 0], normal: [0, 0, 1], users: shenzhou },
    { id: 'port-nadir', label: { zh: '径向对接口（对地）', en: 'Nadir docking port' }, kind: 'docking', position: [0, -R, round(-c)], normal: [0, -1, 0], users: shenzhou },
    { id: 'port-lateral-plus-x', label: { zh: '侧向停泊口（+X）', en: 'Lateral berthing port (+X)' }, kind: 'berthing', position: [R, 0, round(-c)], normal: [1, 0, 0], users: labs },
    { id: 'port-lateral-minus-x', label: { zh: '侧向停泊口（−X）', en: 'Lateral berthing port (−X)' }, kind: 'berthing', position: [-R, 0, round(-c)], normal: [-1, 0, 0], users: labs },
    { id: 'hatch-eva', label: { zh: '出舱舱门（天顶）', en: 'EVA hatch (zenith)' }, kind: 'hatch', position: [0, R, round(-c)], normal: [0, 1, 0], users: { zh: '出舱航天员', en: 'Spacewalking crew' } },
    { id: 'port-aft', label: { zh: '后向对接口', en: 'Aft docking port' }, kind: 'docking', position: [0, 0, -TIANHE_LENGTH_M], normal: [0, 0, -1], users: { zh: '天舟货运飞船', en: 'Tianzhou cargo ships' } },
  ]
}

function buildHandrails(): Handrail[] {
  const rails: Handrail[] = []
  const diagonals = [45, 135, 225, 315]
  // Rails stand a few centimetres off the panels so a hand fits round them.
  const straight = (prefix: string, s0: number, s1: number, inset: number) => {
    for (const theta of diagonals) {
      rails.push({ id: `${prefix}-${theta}`, zone: zoneAtS((s0 + s1) / 2), start: wallPoint(theta, s0, inset), end: wallPoint(theta, s1, inset) })
    }
  }
  // In the spherical node the rails are chords at a fixed radius (the sphere bulges behind them).
  for (const theta of diagonals) {
    const t = (theta * Math.PI) / 180
    const r = 1.05
    rails.push({
      id: `node-${theta}`,
      zone: 'node-cabin',
      start: [round(r * Math.sin(t)), round(r * Math.cos(t)), -0.9],
      end: [round(r * Math.sin(t)), round(r * Math.cos(t)), -2.0],
    })
  }
  straight('small-fore', 3.3, 5.0, 0.08)
  straight('small-aft', 5.1, 6.9, 0.08)
  straight('cone', 7.05, 7.75, 0.08)
  straight('large-fore', 7.9, 10.1, 0.08)
  straight('large-aft', 10.3, 12.4, 0.08)
  // Octagonal rings around the two inner hatches, on the bulkhead faces: hand-holds for turning
  // round and pulling through.
  const ring = (prefix: string, s: number, radius: number) => {
    const zone = zoneAtS(s)
    for (let i = 0; i < 8; i++) {
      const a0 = (i * Math.PI) / 4
      const a1 = ((i + 1) * Math.PI) / 4
      rails.push({
        id: `${prefix}-${i}`,
        zone,
        start: [round(radius * Math.sin(a0)), round(radius * Math.cos(a0)), round(-s)],
        end: [round(radius * Math.sin(a1)), round(radius * Math.cos(a1)), round(-s)],
      })
    }
  }
  ring('hatch-ring-small', NODE_END_S + 0.07, 0.62)
  ring('hatch-ring-aft', LARGE_END_S - 0.07, 0.7)
  for (const theta of [90, 270]) {
    rails.push({ id: `aft-passage-${theta}`, zone: 'aft-passage', start: wallPoint(theta, 12.75, 0.08), end: wallPoint(theta, 16.4, 0.08) })
  }
  return rails
}

function buildFootRestraints(): FootRestraint[] {
  const spots: [string, number][] = [
    ['dining', 6.0],
    ['console', 8.3],
    ['water-ball', 8.8],
    ['arm', 9.2],
    ['filter', 11.2],
  ]
  const out: FootRestraint[] = []
  for (const [name, s] of spots) {
    out.push({ id: `foot-floor-${name}`, zone: zoneAtS(s), position: wallPoint(180, s, 0.02), normal: wallInwardNormal(180), surface: 'floor' })
  }
  for (const [name, s] of spots.slice(0, 4)) {
    out.push({ id: `foot-ceiling-${name}`, zone: zoneAtS(s), position: wallPoint(0, s, 0.02), normal: wallInwardNormal(0), surface: 'ceiling' })
  }
  return out
}

/** Stowage slot ids with their printed labels, used by the cargo task's stowage list. */
export const STOWAGE_SLOT_IDS = ['stowage-s01', 'stowage-s02', 'stowage-s03', 'stowage-s04', 'stowage-s05', 'stowage-s06', 'stowage-s07', 'stowage-s08'] as const
/** A stowage slot id. */
export type StowageSlotId = (typeof STOWAGE_SLOT_IDS)[number] | 'stowage-waste'

function buildFixtures(): Fixture[] {
  const out: Fixture[] = []
  const add = (id: string, kind: FixtureKind, zh: string, en: string, theta: number, s: number, inset: number, reach = 0.25) => {
    out.push({ id, kind, label: { zh, en }, zone: zoneAtS(s), position: wallPoint(theta, s, inset), normal: wallInwardNormal(theta), reach })
  }
  // Small column: living area.
  add('sleep-quarter-1', 'quarters', '睡眠区 1', 'Sleeping quarter 1', 90, 3.9, 0.05, 0.5)
  add('sleep-quarter-2', 'quarters', '睡眠区 2', 'Sleeping quarter 2', 270, 3.9, 0.05, 0.5)
  add('sleep-quarter-3', 'quarters', '睡眠区 3', 'Sleeping quarter 3', 0, 3.9, 0.05, 0.5)
  add('toilet', 'hygiene', '卫生间', 'Toilet', 180, 4.95, 0.05, 0.4)
  add('dining-table', 'galley', '折叠餐桌', 'Fold-out dining table', 180, 6.0, 0.3, 0.4)
  add('water-dispenser', 'galley', '饮水分配器', 'Water dispenser', 90, 5.8, 0.08)
  add('microwave', 'galley', '微波炉', 'Microwave oven', 270, 5.7, 0.08)
  add('fridge', 'galley', '冰箱', 'Fridge', 270, 6.4, 0.08)
  // Large column: work area.
  add('console-main', 'console', '主控台（大屏触控终端）', 'Main console (touch-screen terminal)', 90, 8.3, 0.1, 0.35)
  add('alarm-ack', 'button', '报警确认按钮', 'Alarm acknowledge button', 110, 8.7, 0.08, 0.12)
  add('console-aux', 'console', '辅助控制终端', 'Auxiliary console', 270, 8.3, 0.1, 0.35)
  add('arm-console', 'console', '机械臂操作台', 'Robotic-arm workstation screen', 285, 9.2, 0.12, 0.3)
  // Facing the −X wall with +Y overhead, your right hand is toward −Z (aft), so the right
  // (rotation) stick sits aft of the left (translation) stick.
  add('arm-joystick-left', 'joystick', '左手柄（平移）', 'Left joystick (translation)', 255, 9.05, 0.3, 0.12)
  add('arm-joystick-right', 'joystick', '右手柄（旋转）', 'Right joystick (rotation)', 255, 9.35, 0.3, 0.12)
  add('water-ball-station', 'station', '水球实验台', 'Water-ball demo station', 0, 8.8, 0.1, 0.3)
  add('water-ball', 'demo', '水球', 'Water ball', 0, 8.8, 0.7, 0.15)
  add('medical-kit', 'stowage', '医监医保设备', 'Medical kit', 90, 9.65, 0.08, 0.3)
  add('experiment-rack-1', 'rack', '实验柜 1', 'Experiment rack 1', 0, 10.4, 0.05, 0.5)
  add('experiment-rack-2', 'rack', '实验柜 2', 'Experiment rack 2', 90, 10.5, 0.05, 0.5)
  add('experiment-rack-3', 'rack', '实验柜 3', 'Experiment rack 3', 270, 10.5, 0.05, 0.5)
  add('filter-panel', 'panel', '环控生保过滤器面板', 'Life-support filter panel', 270, 11.2, 0.08, 0.3)
  add('filter-slot', 'slot', '过滤芯安装槽', 'Filter cartridge slot', 270, 11.2, 0.02, 0.2)
  add('treadmill', 'exercise', '太空跑台', 'Space treadmill', 180, 11.6, 0.05, 0.5)
  add('treadmill-harness', 'exercise', '跑台束缚背带', 'Treadmill harness', 180, 11.6, 0.9, 0.3)
  add('bicycle-ergometer', 'exercise', '太空自行车', 'Bicycle ergometer', 90, 11.9, 0.1, 0.5)
  // Stowage ring at the aft end of the large column, next to the hatch from the cargo ship.
  STOWAGE_SLOT_IDS.forEach((id, i) => {
    const theta = 45 + 90 * (i % 4)
    const s = i < 4 ? 12.15 : 12.45
    const n = String(i + 1).padStart(2, '0')
    add(id, 'stowage', `储物格 S-${n}`, `Stowage S-${n}`, theta, s, 0.05, 0.2)
  })
  add('stowage-waste', 'stowage', '废弃物储存格', 'Waste stowage', 180, 12.3, 0.05, 0.25)
  out.push({
    id: 'hatch-tianzhou',
    kind: 'hatch',
    label: { zh: '天舟货运飞船舱门', en: 'Tianzhou cargo-ship hatch' },
    zone: 'aft-passage',
    position: [0, 0, round(-TIANHE_LENGTH_M + 0.1)],
    normal: [0, 0, 1],
    reach: 0.4,
  })
  return out
}

// Freezes nested data so a scene cannot mutate the shared layout by accident.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v)
  }
  return value
}

/** Builds the Tianhe layout (deterministic; the shared instance is {@link TIANHE_LAYOUT}). */
export function createModuleLayout(): ModuleLayout {
  return deepFreeze({
    lengthM: TIANHE_LENGTH_M,
    maxDiameterM: TIANHE_MAX_DIAMETER_M,
    zones: buildZones(),
    areas: buildAreas(),
    ports: buildPorts(),
    handrails: buildHandrails(),
    footRestraints: buildFootRestraints(),
    fixtures: buildFixtures(),
    profile: PROFILE,
    hull: HULL,
  })
}

/** The shared, frozen Tianhe layout. */
export const TIANHE_LAYOUT: ModuleLayout = createModuleLayout()

/** Pressurised free volume of the interior (m³), from the collision profile. */
export function interiorVolume(layout: ModuleLayout = TIANHE_LAYOUT): number {
  return profileVolume(layout.hull)
}

/** Looks up a fixture by id; throws for an unknown id (a typo in task data should fail loudly). */
export function getFixture(id: string, layout: ModuleLayout = TIANHE_LAYOUT): Fixture {
  const f = layout.fixtures.find((x) => x.id === id)
  if (!f) throw new Error(`unknown Tianhe fixture '${id}'`)
  return f
}

/** The zone containing axial position z, or null outside the module. */
export function zoneAt(z: number, layout: ModuleLayout = TIANHE_LAYOUT): ModuleZone | null {
  for (const zone of layout.zones) if (zone.pressurised && z >= zone.zRange[0] && z <= zone.zRange[1]) return zone
  return null
}

/**
 * Index of the handrail nearest to `point` within `maxDistance` (m), or −1. The closest point on
 * that rail is written to `outClosest`. Allocation-free: used every frame for grab tests.
 */
export function findNearestHandrail(rails: readonly Handrail[], point: Vector3, maxDistance: number, outClosest: Vector3): number {
  let best = -1
  let bestD2 = maxDistance * maxDistance
  for (let i = 0; i < rails.length; i++) {
    const { start: a, end: b } = rails[i]
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    const dz = b[2] - a[2]
    const len2 = dx * dx + dy * dy + dz * dz
    let t = len2 > 0 ? ((point.x - a[0]) * dx + (point.y - a[1]) * dy + (point.z - a[2]) * dz) / len2 : 0
    t = t < 0 ? 0 : t > 1 ? 1 : t
    const cx = a[0] + t * dx
    const cy = a[1] + t * dy
    const cz = a[2] + t * dz
    const d2 = (point.x - cx) ** 2 + (point.y - cy) ** 2 + (point.z - cz) ** 2
    if (d2 <= bestD2) {
      bestD2 = d2
      best = i
      outClosest.set(cx, cy, cz)
    }
  }
  return best
}
