import { Euler, Quaternion, Vector3 } from 'three'
import { getFixture, hullRadiusAt, type Fixture, type ModuleLayout } from '../../core/tianhe'

/**
 * The module's outfitting as plain data, generated from the core layout: racks, sleeping
 * quarters, galley, consoles, exercise machines, hatches and port frames. Each part is a simple
 * primitive with a colour; module-geometry.ts turns the list into one merged geometry per
 * material (lit / glowing). Placement follows the core conventions (axis Z, fore → aft along −Z,
 * θ measured from +Y toward +X). The columns are lined with flat rack faces: an octagon whose
 * apothem is the core's free radius, faces centred on 0°, 45°, 90° …, so floor, ceiling and walls
 * are flat and the diagonals carry lights and handrails.
 */

/** Primitive shapes the geometry builder knows. */
export type PartShape = 'box' | 'cylinder' | 'sphere' | 'torus' | 'cone'

/** One primitive. Sizes are in the part's local frame (see {@link wallFrame}). */
export interface Part {
  shape: PartShape
  /**
   * box: [x, y, z]; cylinder: [radius, height along local Y, _]; cone: [top radius, height, bottom
   * radius]; sphere: [radius, polar cut-out (rad) at both local-Y poles, _]; torus: [radius, tube].
   */
  size: [number, number, number]
  position: Vector3
  quaternion: Quaternion
  color: string
  /** Self-lit (light panels, screens' glow, LEDs): goes into the unlit, scene-tinted mesh. */
  glow?: boolean
  /** Radial segments for round shapes (default 12). */
  segments?: number
  /** Belongs to the outside of the module (hull, resource cabin, solar wings). */
  exterior?: boolean
  /** Cylinders/cones: no end caps (hull shells must not close off the view along the module). */
  open?: boolean
  /** Seen from inside (a room's walls): faces and normals turned inward. */
  inside?: boolean
}

/** Wall screens: fixture, size across the face (m) and along the axis (m). */
export const SCREENS = [
  { fixture: 'console-main', faceSize: 0.55, axialSize: 0.9 },
  { fixture: 'console-aux', faceSize: 0.45, axialSize: 0.7 },
  { fixture: 'arm-console', faceSize: 0.4, axialSize: 0.6 },
] as const

/** Palette: light tone "up", darker "down" (as on earlier Chinese spacecraft), accents per zone. */
export const PALETTE = {
  ceiling: '#eef1f4',
  wall: '#dfe4ea',
  floor: '#8e9cab',
  diagonalUpper: '#e6eaee',
  diagonalLower: '#b4bfca',
  bulkhead: '#cfd6de',
  node: '#e2e7ec',
  nodeLower: '#a7b3c0',
  hatch: '#8a96a3',
  hatchFrame: '#5d6b7a',
  handle: '#f0c419',
  rack: '#cdd5dd',
  rackDark: '#6f7d8b',
  bezel: '#2d3540',
  quarters: '#6f93bd',
  quartersFrame: '#c5cfda',
  galley: '#f1f2ee',
  table: '#d9c7a6',
  fridge: '#e8eef4',
  darkGlass: '#1c2430',
  treadmill: '#3e4855',
  belt: '#20262d',
  bike: '#58677a',
  stowage: '#b9c5d1',
  stowageRecess: '#4a5663',
  waste: '#d9a521',
  red: '#d23b3b',
  yellow: '#f3c623',
  exterior: '#e9e6de',
  exteriorDark: '#9aa0a6',
  blanket: '#d8cfa8',
  solar: '#1f3a6b',
  solarFrame: '#9aa3ad',
  engine: '#3b3f44',
} as const

const Z = new Vector3(0, 0, 1)
const DEG = Math.PI / 180

/** Octagon face angle (deg, multiple of 45) nearest to θ. */
export function faceAngle(thetaDeg: number): number {
  return (Math.round(thetaDeg / 45) * 45 + 360) % 360
}

/**
 * Distance from the axis to the octagon wall along direction θ in a column where the free radius
 * (the apothem) is `r`.
 */
export function octagonRadius(r: number, thetaDeg: number): number {
  const d = ((((thetaDeg + 22.5) % 45) + 45) % 45) - 22.5
  return r / Math.cos(d * DEG)
}

/**
 * Frame of the wall face centred at θf: local X runs along the face (toward smaller θ), local Y is
 * the inward normal (out of the wall into the cabin), local Z is the module axis. The floor face
 * (180°) is the identity; it is a rotation about Z by 180° − θf.
 */
export function wallFrame(faceDeg: number, out = new Quaternion()): Quaternion {
  return out.setFromAxisAngle(Z, (180 - faceDeg) * DEG)
}

interface WallPlacement {
  /** θ of the spot (deg). */
  theta: number
  /** Distance aft of the fore end (m). */
  s: number
  /** Offset along the face (m, local X) and out of the wall (m, local Y) after the base point. */
  along?: number
  out?: number
  /** Free radius override (m); default: the hull radius at s. */
  radius?: number
}

/** Position + rotation of a spot on a column wall face. */
export function wallSpot(p: WallPlacement): { position: Vector3; quaternion: Quaternion } {
  const r = p.radius ?? hullRadiusAt(-p.s)
  const f = faceAngle(p.theta)
  const q = wallFrame(f)
  const d = octagonRadius(r, f) / Math.cos((p.theta - f) * DEG)
  const t = p.theta * DEG
  const position = new Vector3(d * Math.sin(t), d * Math.cos(t), -p.s)
  const x = new Vector3(1, 0, 0).applyQuaternion(q)
  const y = new Vector3(0, 1, 0).applyQuaternion(q)
  position.addScaledVector(x, p.along ?? 0).addScaledVector(y, p.out ?? 0)
  return { position, quaternion: q }
}

/** Collects parts with small helpers. */
class PartList {
  readonly parts: Part[] = []

  /** A box on a column wall: `w` along the face, `h` out of the wall, `l` along the axis; it sits on the wall (plus `lift`). */
  wallBox(p: WallPlacement, w: number, h: number, l: number, color: string, extra: Partial<Part> & { lift?: number } = {}): void {
    const { position, quaternion } = wallSpot({ ...p, out: (p.out ?? 0) + (extra.lift ?? 0) + h / 2 })
    this.parts.push({ shape: 'box', size: [w, h, l], position, quaternion, color, glow: extra.glow, exterior: extra.exterior })
  }

  /** A cylinder standing out of a column wall (its axis along the wall normal). */
  wallCylinder(p: WallPlacement, radius: number, h: number, color: string, extra: Partial<Part> & { lift?: number } = {}): void {
    const { position, quaternion } = wallSpot({ ...p, out: (p.out ?? 0) + (extra.lift ?? 0) + h / 2 })
    this.parts.push({ shape: 'cylinder', size: [radius, h, 0], position, quaternion, color, glow: extra.glow, segments: extra.segments })
  }

  /** A free primitive. */
  add(shape: PartShape, size: [number, number, number], position: Vector3, rotation: Euler | Quaternion, color: string, extra: Partial<Part> = {}): void {
    const quaternion = rotation instanceof Quaternion ? rotation.clone() : new Quaternion().setFromEuler(rotation)
    this.parts.push({ shape, size, position: position.clone(), quaternion, color, ...extra })
  }
}

const NO_ROT = new Euler()
const AXIAL = new Euler(Math.PI / 2, 0, 0) // a Y-up primitive turned to lie along Z

function fixturePoint(f: Fixture): Vector3 {
  return new Vector3(...f.position)
}

// Port frame in the node sphere: a ring and a hatch disc on the wall, facing into the cabin.
function portFrame(list: PartList, position: Vector3, normal: Vector3, kind: 'docking' | 'berthing' | 'hatch'): void {
  const q = new Quaternion().setFromUnitVectors(new Vector3(0, 1, 0), normal.clone().negate())
  const ringQ = new Quaternion().setFromUnitVectors(new Vector3(0, 0, 1), normal)
  const inward = normal.clone().multiplyScalar(-1)
  const ringColor = kind === 'docking' ? '#5b7fa6' : kind === 'berthing' ? PALETTE.hatchFrame : '#d9822b'
  list.add('torus', [0.42, 0.045, 0], position.clone().addScaledVector(inward, 0.04), ringQ, ringColor, { segments: 20 })
  list.add('cylinder', [0.4, 0.03, 0], position.clone().addScaledVector(inward, -0.01), q, PALETTE.hatch, { segments: 20 })
  // Hatch handle bar across the door.
  list.add('box', [0.36, 0.04, 0.05], position.clone().addScaledVector(inward, 0.04), ringQ, PALETTE.handle)
}

/** Builds the full outfitting list (interior and exterior). Deterministic. */
export function createOutfitting(layout: ModuleLayout): Part[] {
  const L = new PartList()
  const fx = (id: string) => getFixture(id, layout)

  // ---- Node cabin: ports, hatches, EVA hatch.
  for (const port of layout.ports) {
    if (port.id === 'port-aft') continue
    const n = new Vector3(...port.normal)
    const p = new Vector3(...port.position)
    if (port.id === 'port-forward') {
      // The fore end of the profile is the closed forward hatch; frame it from the inside.
      L.add('torus', [0.42, 0.05, 0], new Vector3(0, 0, -0.03), NO_ROT, '#5b7fa6', { segments: 20 })
      L.add('box', [0.36, 0.04, 0.05], new Vector3(0, 0, -0.04), NO_ROT, PALETTE.handle)
      continue
    }
    portFrame(L, p, n, port.kind)
  }
  // The open hatchway into the small column.
  L.add('torus', [0.43, 0.04, 0], new Vector3(0, 0, -3.02), NO_ROT, PALETTE.hatchFrame, { segments: 20 })
  // Node equipment: two control panels between the ports and a glowing status strip.
  for (const side of [1, -1]) {
    const a = side > 0 ? 45 : 315
    const t = a * DEG
    const pos = new Vector3(1.13 * Math.sin(t), 1.13 * Math.cos(t) * 0.55, -1.45)
    L.add('box', [0.32, 0.22, 0.05], pos, new Euler(0, side > 0 ? -Math.PI / 2 : Math.PI / 2, 0), PALETTE.bezel)
    L.add('box', [0.26, 0.14, 0.01], pos.clone().add(new Vector3(-side * 0.03, 0, 0)), new Euler(0, side > 0 ? -Math.PI / 2 : Math.PI / 2, 0), '#4fa3d9', { glow: true })
  }
  // Node walls between the ports: frames (ribs) at the fore and aft latitudes, equipment panels
  // and soft stowage bags on the diagonals, so the sphere reads as a working airlock.
  for (const z of [-0.72, -2.18]) L.add('torus', [1.0, 0.03, 0], new Vector3(0, 0, z), NO_ROT, PALETTE.rackDark, { segments: 32 })
  const onSphere = (thetaDeg: number, latDeg: number, size: [number, number, number], color: string, glow = false) => {
    const t = thetaDeg * DEG
    const l = latDeg * DEG
    const dir = new Vector3(Math.sin(t) * Math.cos(l), Math.cos(t) * Math.cos(l), Math.sin(l))
    const q = new Quaternion().setFromUnitVectors(new Vector3(0, 1, 0), dir.clone().negate())
    const pos = dir.clone().multiplyScalar(1.25 - size[1] / 2 - 0.01).add(new Vector3(0, 0, -1.45))
    L.add('box', size, pos, q, color, { glow })
  }
  for (const theta of [135, 225]) {
    onSphere(theta, 0, [0.42, 0.12, 0.5], '#c4ccd5')
    onSphere(theta, 0, [0.3, 0.14, 0.08], '#59e08a', true)
  }
  for (const theta of [45, 135, 225, 315]) {
    onSphere(theta, 32, [0.36, 0.16, 0.3], '#e6dcc4')
    onSphere(theta, -32, [0.36, 0.16, 0.3], '#d9cfb5')
  }
  // Ring of light around the node's upper half.
  for (let i = 0; i < 6; i++) {
    const a = (-60 + i * 24) * DEG
    // On the sphere's inner surface at the fore and aft latitudes (radius 1.04 there).
    const pos = new Vector3(1.0 * Math.sin(a), 1.0 * Math.cos(a), -0.75)
    L.add('box', [0.2, 0.03, 0.08], pos, new Euler(0, 0, -a), '#ffffff', { glow: true })
    L.add('box', [0.2, 0.03, 0.08], pos.clone().setZ(-2.15), new Euler(0, 0, -a), '#ffffff', { glow: true })
  }

  // ---- Light strips along the upper diagonals of both columns.
  const strip = (s0: number, s1: number) => {
    for (const theta of [45, 315]) {
      L.wallBox({ theta, s: (s0 + s1) / 2 }, 0.16, 0.012, s1 - s0, '#ffffff', { glow: true })
    }
  }
  strip(3.25, 6.85)
  strip(8.0, 12.35)

  // ---- Rack panels: every free stretch of wall gets rack fronts with seams, so the walls read as
  // equipment racks rather than a smooth tube.
  const rackFaces = (s0: number, s1: number, faces: number[], pitch: number) => {
    for (const theta of faces) {
      for (let s = s0; s < s1 - 0.05; s += pitch) {
        const len = Math.min(pitch, s1 - s) - 0.03
        const color = theta === 180 ? '#9aa7b5' : theta === 0 ? '#f3f5f7' : PALETTE.rack
        L.wallBox({ theta, s: s + len / 2 + 0.015 }, theta % 90 === 0 ? 0.9 * (hullRadiusAt(-s) / 1.4) : 0.3, 0.015, len, color)
      }
    }
  }
  rackFaces(4.6, 5.3, [0, 90, 270], 0.7)
  rackFaces(6.7, 7.0, [0, 90, 270], 0.3)
  rackFaces(7.8, 8.0, [0, 180], 0.2)
  rackFaces(9.95, 10.95, [180], 0.5)
  rackFaces(12.0, 12.6, [0, 90, 270], 0.6)

  // ---- Small column: sleeping quarters (+X, −X, zenith), each a door with a reading light.
  for (const id of ['sleep-quarter-1', 'sleep-quarter-2', 'sleep-quarter-3']) {
    const f = fx(id)
    const theta = Math.round((Math.atan2(f.position[0], f.position[1]) / DEG + 360) % 360)
    const s = -f.position[2]
    L.wallBox({ theta, s }, 0.78, 0.03, 1.25, PALETTE.quartersFrame)
    L.wallBox({ theta, s }, 0.66, 0.04, 1.1, PALETTE.quarters)
    L.wallBox({ theta, s: s - 0.42, along: 0.2 }, 0.12, 0.05, 0.06, '#ffe8b0', { glow: true })
    L.wallBox({ theta, s: s + 0.1, along: -0.28 }, 0.04, 0.07, 0.3, PALETTE.handle)
  }
  // Toilet cabinet on the floor, with a lid and a privacy-curtain rail.
  {
    const s = -fx('toilet').position[2]
    L.wallBox({ theta: 180, s }, 0.72, 0.28, 0.62, '#e9e4da')
    L.wallCylinder({ theta: 180, s, along: 0.1 }, 0.13, 0.05, '#c9ccd0', { lift: 0.28 })
    L.wallBox({ theta: 180, s: s + 0.25, along: -0.2 }, 0.12, 0.1, 0.12, '#7fb2d9', { lift: 0.28 })
    L.wallBox({ theta: 90, s, along: 0.3 }, 0.04, 0.05, 0.6, PALETTE.rackDark)
    L.wallBox({ theta: 270, s, along: -0.3 }, 0.04, 0.05, 0.6, PALETTE.rackDark)
  }
  // Dining: fold-out table on the floor, water dispenser (+X), microwave and fridge (−X).
  {
    const s = -fx('dining-table').position[2]
    L.wallBox({ theta: 180, s }, 0.1, 0.3, 0.1, PALETTE.rackDark)
    L.wallBox({ theta: 180, s }, 0.62, 0.03, 0.52, PALETTE.table, { lift: 0.3 })
    L.wallBox({ theta: 180, s, along: 0.22 }, 0.08, 0.02, 0.4, '#c7b18a', { lift: 0.33 })
    // Food trays velcroed to the table.
    L.wallBox({ theta: 180, s: s - 0.12, along: -0.12 }, 0.14, 0.03, 0.1, '#e07a3f', { lift: 0.33 })
    L.wallBox({ theta: 180, s: s + 0.12, along: 0.05 }, 0.12, 0.04, 0.12, '#6fae4d', { lift: 0.33 })
  }
  {
    const s = -fx('water-dispenser').position[2]
    L.wallBox({ theta: 90, s }, 0.24, 0.12, 0.3, PALETTE.galley)
    L.wallCylinder({ theta: 90, s, along: -0.06 }, 0.015, 0.06, '#9aa4ae', { lift: 0.12 })
    L.wallBox({ theta: 90, s: s - 0.1, along: 0.06 }, 0.06, 0.01, 0.06, '#49b6ff', { glow: true, lift: 0.12 })
  }
  {
    const s = -fx('microwave').position[2]
    L.wallBox({ theta: 270, s }, 0.42, 0.28, 0.36, '#d8dde2')
    L.wallBox({ theta: 270, s: s + 0.03, along: 0.02 }, 0.3, 0.01, 0.24, PALETTE.darkGlass, { lift: 0.28 })
    L.wallBox({ theta: 270, s: s - 0.14, along: -0.14 }, 0.08, 0.01, 0.05, '#59e08a', { glow: true, lift: 0.28 })
  }
  {
    const s = -fx('fridge').position[2]
    L.wallBox({ theta: 270, s }, 0.5, 0.18, 0.55, PALETTE.fridge)
    L.wallBox({ theta: 270, s, along: 0.2 }, 0.03, 0.05, 0.4, PALETTE.rackDark, { lift: 0.18 })
    L.wallBox({ theta: 270, s: s - 0.2, along: -0.15 }, 0.06, 0.01, 0.04, '#49b6ff', { glow: true, lift: 0.18 })
  }

  // The Earth-view window in the +X wall of the dining area: a thick frame round the opening.
  L.add('torus', [0.25, 0.055, 0], new Vector3(0.985, 0, -6.55), new Euler(0, Math.PI / 2, 0), '#3b4756', { segments: 24 })
  L.add('torus', [0.205, 0.02, 0], new Vector3(0.96, 0, -6.55), new Euler(0, Math.PI / 2, 0), '#a9b6c4', { segments: 24 })

  // ---- Large column: work area.
  const screenBezel = (id: string, w: number, h: number) => {
    const f = fx(id)
    const theta = (Math.atan2(f.position[0], f.position[1]) / DEG + 360) % 360
    L.wallBox({ theta, s: -f.position[2] }, w + 0.08, 0.05, h + 0.08, PALETTE.bezel)
  }
  // Screens are wide along the axis (text runs fore–aft, "up" toward the ceiling).
  for (const s of SCREENS) screenBezel(s.fixture, s.faceSize, s.axialSize)
  {
    // Keyboard shelves below the consoles.
    L.wallBox({ theta: 115, s: 8.3 }, 0.2, 0.22, 0.6, '#c3ccd6')
    L.wallBox({ theta: 245, s: 8.3 }, 0.2, 0.22, 0.6, '#c3ccd6')
  }
  {
    const f = fx('alarm-ack')
    const s = -f.position[2]
    L.wallBox({ theta: 110, s }, 0.18, 0.02, 0.18, PALETTE.yellow)
    L.wallCylinder({ theta: 110, s }, 0.05, 0.05, PALETTE.red, { lift: 0.02, segments: 16 })
  }
  {
    // Robotic-arm workstation: desk with the two hand controllers (left: translation, right: rotation).
    const left = fx('arm-joystick-left')
    const s0 = -left.position[2]
    const s1 = -fx('arm-joystick-right').position[2]
    const mid = (s0 + s1) / 2
    L.wallBox({ theta: 255, s: mid }, 0.3, 0.24, 0.62, '#b7c1cc')
    for (const s of [s0, s1]) {
      L.wallCylinder({ theta: 255, s }, 0.05, 0.03, PALETTE.bezel, { lift: 0.24, segments: 12 })
      L.wallCylinder({ theta: 255, s }, 0.012, 0.08, '#9aa4ae', { lift: 0.27 })
      L.wallCylinder({ theta: 255, s }, 0.028, 0.07, s === s0 ? '#2f6fb5' : '#b5472f', { lift: 0.34, segments: 12 })
    }
  }
  {
    // Water-ball demo station on the ceiling: a box with a nozzle and the ball holder.
    const s = -fx('water-ball-station').position[2]
    L.wallBox({ theta: 0, s }, 0.36, 0.1, 0.32, '#d7dee6')
    L.wallCylinder({ theta: 0, s, along: 0.08 }, 0.012, 0.12, '#9aa4ae', { lift: 0.1 })
    L.wallBox({ theta: 0, s: s + 0.1, along: -0.1 }, 0.05, 0.08, 0.02, PALETTE.rackDark, { lift: 0.1 })
  }
  {
    const s = -fx('medical-kit').position[2]
    L.wallBox({ theta: 90, s }, 0.36, 0.14, 0.4, '#f4f4f2')
    L.wallBox({ theta: 90, s }, 0.06, 0.01, 0.2, PALETTE.red, { lift: 0.14, glow: true })
    L.wallBox({ theta: 90, s }, 0.2, 0.01, 0.06, PALETTE.red, { lift: 0.14, glow: true })
  }
  for (const id of ['experiment-rack-1', 'experiment-rack-2', 'experiment-rack-3']) {
    const f = fx(id)
    const theta = Math.round((Math.atan2(f.position[0], f.position[1]) / DEG + 360) % 360)
    const s = -f.position[2]
    L.wallBox({ theta, s }, 1.0, 0.04, 1.0, '#c9d2dc')
    for (let k = 0; k < 4; k++) {
      const sk = s - 0.36 + k * 0.24
      L.wallBox({ theta, s: sk }, 0.86, 0.03, 0.2, k % 2 ? '#aeb9c5' : '#e7ebef', { lift: 0.04 })
      L.wallBox({ theta, s: sk, along: 0.36 }, 0.04, 0.01, 0.04, k === 1 ? '#ffb347' : '#59e08a', { lift: 0.07, glow: true })
    }
  }
  {
    // Life-support filter panel frame (the door and cartridge are dynamic).
    const s = -fx('filter-panel').position[2]
    L.wallBox({ theta: 270, s }, 0.5, 0.02, 0.5, PALETTE.rackDark)
    L.wallBox({ theta: 270, s }, 0.34, 0.01, 0.34, '#1d232a', { lift: 0.02 })
    // Bezel of the ΔP gauge display, just fore of the panel.
    L.wallBox({ theta: 270, s: s - 0.38 }, 0.17, 0.05, 0.3, PALETTE.bezel)
  }
  {
    // Treadmill on the floor: deck, belt, side rails, control box and the harness bungees.
    const s = -fx('treadmill').position[2]
    L.wallBox({ theta: 180, s }, 0.6, 0.12, 1.35, PALETTE.treadmill)
    L.wallBox({ theta: 180, s }, 0.46, 0.02, 1.2, PALETTE.belt, { lift: 0.12 })
    for (const a of [-0.3, 0.3]) L.wallBox({ theta: 180, s, along: a }, 0.04, 0.04, 1.35, '#9aa4ae', { lift: 0.12 })
    L.wallBox({ theta: 180, s: s - 0.72 }, 0.5, 0.45, 0.08, PALETTE.treadmill)
    L.wallBox({ theta: 180, s: s - 0.7 }, 0.3, 0.1, 0.01, '#49b6ff', { lift: 0.3, glow: true })
    const harness = fixturePoint(fx('treadmill-harness'))
    L.add('torus', [0.2, 0.03, 0], harness, new Euler(Math.PI / 2, 0, 0), '#e0892b', { segments: 16 })
    for (const a of [-0.25, 0.25]) {
      const foot = wallSpot({ theta: 180, s, along: a, out: 0.12 }).position
      const mid = foot.clone().lerp(harness, 0.5)
      const len = foot.distanceTo(harness)
      const q = new Quaternion().setFromUnitVectors(new Vector3(0, 1, 0), harness.clone().sub(foot).normalize())
      L.add('cylinder', [0.008, len, 0], mid, q, '#2b2b2b', { segments: 6 })
    }
  }
  {
    // Bicycle ergometer on the +X wall: frame, flywheel, crank and handlebar (no seat in orbit).
    const s = -fx('bicycle-ergometer').position[2]
    L.wallBox({ theta: 90, s }, 0.3, 0.2, 0.7, PALETTE.bike)
    const fw = wallSpot({ theta: 90, s: s + 0.15, out: 0.3 })
    L.parts.push({ shape: 'cylinder', size: [0.2, 0.06, 0], position: fw.position, quaternion: fw.quaternion.clone().multiply(new Quaternion().setFromEuler(new Euler(0, 0, Math.PI / 2))), color: '#2f3740', segments: 20 })
    L.wallBox({ theta: 90, s: s - 0.2 }, 0.06, 0.45, 0.06, PALETTE.bike, { lift: 0.2 })
    L.wallBox({ theta: 90, s: s - 0.2 }, 0.5, 0.04, 0.04, '#20262d', { lift: 0.62 })
    L.wallBox({ theta: 90, s: s + 0.15 }, 0.36, 0.03, 0.03, '#9aa4ae', { lift: 0.3 })
  }
  // Stowage ring: one cubby per slot, plus the waste container on the floor.
  for (const f of layout.fixtures) {
    if (!f.id.startsWith('stowage-')) continue
    const theta = Math.round((Math.atan2(f.position[0], f.position[1]) / DEG + 360) % 360)
    const s = -f.position[2]
    const waste = f.id === 'stowage-waste'
    L.wallBox({ theta, s }, waste ? 0.5 : 0.32, 0.03, waste ? 0.5 : 0.26, waste ? PALETTE.waste : PALETTE.stowage)
    L.wallBox({ theta, s }, waste ? 0.4 : 0.26, 0.01, waste ? 0.4 : 0.2, PALETTE.stowageRecess, { lift: 0.03 })
  }
  // Aft hatchway frame into the passage, and rails' end caps.
  L.add('torus', [0.47, 0.04, 0], new Vector3(0, 0, -12.62), NO_ROT, PALETTE.hatchFrame, { segments: 20 })
  L.add('torus', [0.47, 0.04, 0], new Vector3(0, 0, -16.58), NO_ROT, '#5b7fa6', { segments: 20 })

  // Aft passage: stiffening rings and a cable tray along the floor.
  for (let z = -13.2; z > -16.3; z -= 0.75) L.add('torus', [0.445, 0.018, 0], new Vector3(0, 0, z), NO_ROT, PALETTE.hatchFrame, { segments: 16 })
  L.add('box', [0.16, 0.04, 3.8], new Vector3(0, -0.42, -14.6), NO_ROT, PALETTE.rackDark)
  for (let z = -13.0; z > -16.3; z -= 1.1) L.add('box', [0.06, 0.02, 0.12], new Vector3(0, 0.43, z), NO_ROT, '#ffffff', { glow: true })

  // ---- The Tianzhou cargo ship behind the aft hatch: a short tunnel and a cargo bay with racks.
  L.add('cylinder', [0.46, 0.6, 0], new Vector3(0, 0, -16.9), AXIAL, '#c8ced6', { segments: 16, open: true, inside: true })
  for (let k = 0; k < 6; k++) {
    const a = (k * 60 + 30) * DEG
    L.add('box', [0.5, 0.04, 1.2], new Vector3(1.0 * Math.sin(a), 1.0 * Math.cos(a), -17.9), new Euler(0, 0, -a), '#aab4bf')
  }
  L.add('cylinder', [1.2, 1.6, 0], new Vector3(0, 0, -17.9), AXIAL, '#dfe3e8', { segments: 12, inside: true })

  addExterior(L)
  return L.parts
}

// The outside: the pressure hull's skin, the resource cabin with its engines, solar wings and the
// docking rings. Seen through the window and from the exterior view.
function addExterior(L: PartList): void {
  const ext = { exterior: true }
  // Node sphere and the two columns (outer radii 1.4 m and 2.1 m) with thermal-blanket bands.
  // Node sphere, its poles cut away at the hatches (a cap there would sit inside the hatch tunnels
  // and block the view through them from inside).
  L.add('sphere', [1.4, Math.asin(0.55 / 1.4), 0], new Vector3(0, 0, -1.45), AXIAL, PALETTE.exterior, { ...ext, segments: 20 })
  L.add('cylinder', [0.5, 0.01, 0], new Vector3(0, 0, 0.245), AXIAL, PALETTE.hatch, { ...ext, segments: 16 })
  L.add('cone', [1.0, 0.6, 1.4], new Vector3(0, 0, -2.7), AXIAL, PALETTE.exterior, { ...ext, segments: 24, open: true })
  L.add('cylinder', [1.4, 4.0, 0], new Vector3(0, 0, -5.0), AXIAL, PALETTE.blanket, { ...ext, segments: 24, open: true })
  L.add('cone', [1.4, 0.8, 2.1], new Vector3(0, 0, -7.4), AXIAL, PALETTE.exterior, { ...ext, segments: 24, open: true })
  L.add('cylinder', [2.1, 4.8, 0], new Vector3(0, 0, -10.2), AXIAL, PALETTE.exterior, { ...ext, segments: 28, open: true })
  for (const z of [-8.4, -10.2, -12.0]) L.add('cylinder', [2.13, 0.12, 0], new Vector3(0, 0, z), AXIAL, PALETTE.exteriorDark, { ...ext, segments: 28, open: true })
  // Resource cabin: unpressurised, around the aft passage; engines at the back.
  L.add('cylinder', [2.1, 3.4, 0], new Vector3(0, 0, -14.3), AXIAL, '#cfd2d4', { ...ext, segments: 28, open: true })
  L.add('cone', [2.1, 0.6, 1.5], new Vector3(0, 0, -16.3), AXIAL, PALETTE.exteriorDark, { ...ext, segments: 28, open: true })
  // Aft face of the resource cabin: an annulus round the docking port, facing aft only (a closed
  // cap would face fore too and wall off the aft passage from the inside).
  L.add('cone', [1.5, 0.01, 0.55], new Vector3(0, 0, -16.6), AXIAL, PALETTE.engine, { ...ext, segments: 28, open: true })
  for (let k = 0; k < 4; k++) {
    const a = (k * 90 + 45) * DEG
    // Four ion thrusters near the rim, two main engine bells.
    L.add('cylinder', [0.12, 0.25, 0], new Vector3(1.5 * Math.sin(a), 1.5 * Math.cos(a), -16.55), AXIAL, PALETTE.engine, { ...ext, segments: 10 })
  }
  for (const x of [-0.7, 0.7]) L.add('cone', [0.12, 0.6, 0.35], new Vector3(x, -0.6, -16.9), AXIAL, '#2b2f33', { ...ext, segments: 12 })
  // Docking port collars (forward, nadir, ±X, aft) and the EVA hatch bump.
  // Axial collars are open tubes: a cap would sit across the hatch as seen from inside.
  L.add('cylinder', [0.55, 0.35, 0], new Vector3(0, 0, 0.1), AXIAL, PALETTE.exteriorDark, { ...ext, segments: 16, open: true })
  L.add('cylinder', [0.55, 0.3, 0], new Vector3(0, -1.45, -1.45), NO_ROT, PALETTE.exteriorDark, { ...ext, segments: 16 })
  L.add('cylinder', [0.55, 0.3, 0], new Vector3(1.45, 0, -1.45), new Euler(0, 0, Math.PI / 2), PALETTE.exteriorDark, { ...ext, segments: 16 })
  L.add('cylinder', [0.55, 0.3, 0], new Vector3(-1.45, 0, -1.45), new Euler(0, 0, Math.PI / 2), PALETTE.exteriorDark, { ...ext, segments: 16 })
  L.add('cylinder', [0.5, 0.2, 0], new Vector3(0, 1.45, -1.45), NO_ROT, '#d9822b', { ...ext, segments: 16 })
  L.add('cylinder', [0.55, 0.3, 0], new Vector3(0, 0, -16.75), AXIAL, PALETTE.exteriorDark, { ...ext, segments: 16, open: true })
  // Solar wings on the resource cabin: a mast and two blankets of cells each side.
  for (const side of [1, -1]) {
    L.add('box', [3.0, 0.12, 0.12], new Vector3(side * 3.6, 0, -14.3), NO_ROT, PALETTE.solarFrame, ext)
    for (let panel = 0; panel < 6; panel++) {
      const x = side * (5.4 + panel * 2.1)
      L.add('box', [2.0, 0.03, 3.6], new Vector3(x, 0, -14.3), NO_ROT, panel % 2 ? PALETTE.solar : '#24447a', ext)
      L.add('box', [2.04, 0.02, 0.06], new Vector3(x, 0, -12.48), NO_ROT, PALETTE.solarFrame, ext)
      L.add('box', [2.04, 0.02, 0.06], new Vector3(x, 0, -16.12), NO_ROT, PALETTE.solarFrame, ext)
    }
  }
}
