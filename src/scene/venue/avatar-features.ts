import { BufferGeometry, ConeGeometry, CylinderGeometry, MeshLambertMaterial, SphereGeometry } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import { VENUE_AVATARS, type VenueAvatar } from '../../core/venue/visitor'

/**
 * What tells the four venue bodies apart on a remote visitor's head (head space: −Z forward, the
 * head a 0.12 m sphere): Xiaoguan's two antennae, the astronaut's visor, the panda's ears, the
 * crane's red crown and beak. One small merged geometry and one material per body, drawn as one
 * instanced mesh each beside the shared head, body and hands (which carry the visitor's colour).
 */
export interface AvatarFeature {
  avatar: VenueAvatar
  geometry: BufferGeometry
  material: MeshLambertMaterial
}

function at<T extends BufferGeometry>(geometry: T, x: number, y: number, z: number, rotateX = 0, rotateZ = 0): T {
  if (rotateX) geometry.rotateX(rotateX)
  if (rotateZ) geometry.rotateZ(rotateZ)
  geometry.translate(x, y, z)
  return geometry
}

function merged(parts: BufferGeometry[]): BufferGeometry {
  const geometry = mergeGeometries(parts, false)
  for (const part of parts) part.dispose()
  if (!geometry) throw new Error('avatar feature: parts could not be merged')
  return geometry
}

/** Builds the features of {@link VENUE_AVATARS}, in that order (the caller disposes them). */
export function createAvatarFeatures(): AvatarFeature[] {
  const build: Record<VenueAvatar, () => { geometry: BufferGeometry; colour: string }> = {
    xiaoguan: () => ({
      geometry: merged([
        at(new CylinderGeometry(0.008, 0.008, 0.12, 6), -0.05, 0.15, 0, 0, 0.35),
        at(new CylinderGeometry(0.008, 0.008, 0.12, 6), 0.05, 0.15, 0, 0, -0.35),
        at(new SphereGeometry(0.025, 10, 8), -0.075, 0.21, 0),
        at(new SphereGeometry(0.025, 10, 8), 0.075, 0.21, 0),
      ]),
      colour: '#f2c14e',
    }),
    // The front of a slightly larger sphere, around −Z: a dark visor over the face.
    astronaut: () => ({ geometry: new SphereGeometry(0.128, 16, 8, -Math.PI / 2 - 0.9, 1.8, 1.0, 0.9), colour: '#1c2a4a' }),
    panda: () => ({
      geometry: merged([at(new SphereGeometry(0.045, 10, 8), -0.085, 0.095, 0), at(new SphereGeometry(0.045, 10, 8), 0.085, 0.095, 0)]),
      colour: '#1a1a1a',
    }),
    crane: () => ({
      geometry: merged([at(new SphereGeometry(0.05, 10, 6, 0, Math.PI * 2, 0, Math.PI / 2), 0, 0.1, 0), at(new ConeGeometry(0.022, 0.12, 8), 0, -0.015, -0.17, -Math.PI / 2)]),
      colour: '#d7263d',
    }),
  }
  return VENUE_AVATARS.map((avatar) => {
    const { geometry, colour } = build[avatar]()
    return { avatar, geometry, material: new MeshLambertMaterial({ color: colour }) }
  })
}

/** Index of `avatar` in {@link VENUE_AVATARS}; an unknown one counts as the first (the server validates it). */
export function avatarIndex(avatar: string): number {
  const i = (VENUE_AVATARS as readonly string[]).indexOf(avatar)
  return i < 0 ? 0 : i
}
