import { Matrix4, Quaternion, Vector3 } from 'three'
import { FIXTURE_ACTIONS, getFixture, type Fixture, type ModuleLayout, type TianheWorld } from '../../core/tianhe'
import { faceAngle, wallFrame } from './outfitting'

/**
 * Where the interactive fixtures are for pointing and grabbing: one hit box per fixture (an
 * invisible instance the controller ray and the hand test against), oriented with its wall face,
 * and the poses of the two moving fixtures — the filter access door and the Tianzhou hatch — so
 * their hit boxes swing with them (an open door no longer hides the cartridge slot; a shut one
 * does). Box sizes are in the wall frame: x along the face, y out of the wall, z along the axis.
 */

const DEG = Math.PI / 180

/** Hit-box sizes (m) for fixtures that are not well described by their reach sphere. */
const HIT_SIZES: Record<string, [number, number, number]> = {
  'console-main': [0.62, 0.16, 0.98],
  'alarm-ack': [0.22, 0.14, 0.22],
  'arm-console': [0.46, 0.2, 0.66],
  'arm-joystick-left': [0.12, 0.3, 0.12],
  'arm-joystick-right': [0.12, 0.3, 0.12],
  'water-ball-station': [0.36, 0.2, 0.32],
  'water-ball': [0.18, 0.18, 0.18],
  'filter-panel': [0.38, 0.06, 0.38],
  'filter-slot': [0.3, 0.1, 0.3],
  treadmill: [0.62, 0.3, 1.35],
  'treadmill-harness': [0.46, 0.22, 0.46],
  'stowage-waste': [0.5, 0.14, 0.5],
  'hatch-tianzhou': [0.8, 0.8, 0.1],
}

const STOWAGE_SIZE: [number, number, number] = [0.32, 0.14, 0.28]

/** Ids of the fixtures that take part in tasks (they get hit boxes), in a stable order. */
export function interactiveFixtureIds(layout: ModuleLayout): string[] {
  return layout.fixtures.filter((f) => f.id in FIXTURE_ACTIONS || f.id.startsWith('stowage-')).map((f) => f.id)
}

/** θ (deg, 0 = +Y toward +X) of a fixture's position around the axis. */
export function fixtureTheta(f: Fixture): number {
  return ((Math.atan2(f.position[0], f.position[1]) / DEG) % 360 + 360) % 360
}

const tmpQ = new Quaternion()
const hinge = new Quaternion()
const tmpV = new Vector3()
const ONE = new Vector3(1, 1, 1)

/** Hit-box size for a fixture. */
export function hitSize(f: Fixture): [number, number, number] {
  if (HIT_SIZES[f.id]) return HIT_SIZES[f.id]
  if (f.id.startsWith('stowage-')) return STOWAGE_SIZE
  const d = f.reach * 1.6
  return [d, d, d]
}

/**
 * Pose of the filter access door (a 0.34 m square hinged on its fore edge), closed or swung open
 * 100° into the cabin. Writes position and rotation.
 */
export function filterDoorPose(layout: ModuleLayout, open: boolean, outPosition: Vector3, outQuaternion: Quaternion): void {
  const f = getFixture('filter-panel', layout)
  wallFrame(faceAngle(fixtureTheta(f)), outQuaternion)
  outPosition.set(...f.position)
  if (!open) return
  // Hinge line: along the face (local X) at the fore edge (local z = +0.19).
  // +100° about local X carries the door centre (0, 0, −0.19 from the hinge) out into the cabin (+y).
  hinge.setFromAxisAngle(tmpV.set(1, 0, 0), 100 * DEG)
  const pivot = tmpV.set(0, 0, 0.19).applyQuaternion(outQuaternion).add(outPosition)
  const offset = outPosition.clone().sub(pivot)
  tmpQ.copy(outQuaternion).multiply(hinge)
  // Rotate the door centre about the pivot by the hinge rotation (in world axes).
  const worldHinge = outQuaternion.clone().multiply(hinge).multiply(outQuaternion.clone().invert())
  offset.applyQuaternion(worldHinge)
  outPosition.copy(pivot).add(offset)
  outQuaternion.copy(tmpQ)
}

/** Pose of the Tianzhou hatch door: shut across the passage, or swung open 100° on its +X hinge. */
export function hatchDoorPose(layout: ModuleLayout, open: boolean, outPosition: Vector3, outQuaternion: Quaternion): void {
  const f = getFixture('hatch-tianzhou', layout)
  outPosition.set(...f.position)
  outQuaternion.identity()
  if (!open) return
  const angle = 100 * DEG
  // Hinge on the +X rim (x = 0.42), axis +Y; the door swings toward the cabin (+Z).
  outQuaternion.setFromAxisAngle(tmpV.set(0, 1, 0), angle)
  const ox = outPosition.x - 0.42
  outPosition.x = 0.42 + ox * Math.cos(angle)
  outPosition.z += -ox * Math.sin(angle)
}

const pos = new Vector3()
const quat = new Quaternion()
const scale = new Vector3()

/** Hit-box matrix of a fixture in the current world state (moving doors included). */
export function hitBoxMatrix(layout: ModuleLayout, world: TianheWorld, id: string, out: Matrix4): Matrix4 {
  const f = getFixture(id, layout)
  scale.set(...hitSize(f))
  if (id === 'filter-panel') {
    filterDoorPose(layout, world.lifeSupport.panelOpen, pos, quat)
    return out.compose(pos, quat, scale)
  }
  if (id === 'hatch-tianzhou') {
    hatchDoorPose(layout, world.tianzhouHatchOpen, pos, quat)
    return out.compose(pos, quat, scale)
  }
  pos.set(...f.position)
  if (Math.abs(f.normal[2]) > 0.5) quat.identity()
  else wallFrame(faceAngle(fixtureTheta(f)), quat)
  return out.compose(pos, quat, scale.multiply(ONE))
}
