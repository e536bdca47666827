import type { VRM } from '@pixiv/three-vrm'
import { readFileSync } from 'node:fs'
import { Group } from 'three'
import { parseUserVrm } from './load-vrm'

/** The shipped default host, parsed in Node as the app parses a user's file (for tests). */
export async function loadDefaultHost(): Promise<VRM> {
  const b = readFileSync('assets/avatars/lingjing-host.vrm')
  const result = await parseUserVrm(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, 'file', 'host.vrm')
  if (!result.ok) throw new Error(result.message.en)
  return result.avatar.vrm
}

/**
 * The livestream stage around `vrm` (for tests): the tracking space raised 0.2 m onto the stage and
 * turned to face +Z, as the room places the host.
 */
export function createTestStage(vrm: VRM): { world: Group; space: Group } {
  const world = new Group()
  const space = new Group()
  space.position.set(0, 0.2, 0)
  space.rotation.set(0, Math.PI, 0)
  world.add(space)
  space.add(vrm.scene)
  return { world, space }
}
