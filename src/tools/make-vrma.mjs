#!/usr/bin/env node
/**
 * Builds the host's VRM Animation files (`assets/animations/*.vrma`, VRMC_vrm_animation 1.0):
 * a breathing idle and five emotes (wave, bow, clap, cheer, thinking), keyframed here by hand as
 * Euler angles on the humanoid's normalized bones. The Lingjing project's own work, released
 * under CC0 1.0 (see assets/animations/README.md).
 *
 * The skeleton is the default host's (make-default-avatar.mjs) in its rest T-pose with no node
 * rotations, so a key's rotation is the normalized bone's local rotation: VRM 1.0 faces +Z, the
 * avatar's left is +X; an arm hangs down when its upper arm turns ±70° about Z. Only rotations are
 * written (no hips translation: the host's IK owns where the body stands). Deterministic output.
 *
 *   node src/tools/make-vrma.mjs            # writes assets/animations/
 *   node src/tools/make-vrma.mjs out/dir    # writes elsewhere
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Euler, Quaternion } from 'three'
import { HOST_BONES } from './default-host-skeleton.mjs'
import { toGlb } from './glb-writer.mjs'

/** [name, parent, world position] of the default host's main bones (rest T-pose): its skeleton without eyes and toes. */
const BONES = HOST_BONES.filter(([name]) => !/Eye$|Toes$/.test(String(name)))

/** The relaxed standing pose every clip starts from and returns to (degrees, Euler XYZ). */
const BASE = {
  spine: [0, 0, 0],
  chest: [0, 0, 0],
  upperChest: [0, 0, 0],
  neck: [0, 0, 0],
  head: [0, 0, 0],
  leftShoulder: [0, 0, 0],
  rightShoulder: [0, 0, 0],
  leftUpperArm: [0, -4, -70],
  rightUpperArm: [0, 4, 70],
  leftLowerArm: [0, -12, 0],
  rightLowerArm: [0, 12, 0],
  leftHand: [0, 0, 0],
  rightHand: [0, 0, 0],
}

/** A key: time in seconds and the bones that differ from {@link BASE}. */
const key = (t, pose = {}) => ({ t, pose })

/** Repeats `[a, b]` poses from `start` every `period` seconds, `count` times (a to b to a …). */
function cycle(start, period, count, a, b) {
  const keys = []
  for (let i = 0; i < count; i++) {
    keys.push(key(start + i * period, a))
    keys.push(key(start + i * period + period / 2, b))
  }
  keys.push(key(start + count * period, a))
  return keys
}

const WAVE_ARM = { rightUpperArm: [0, 20, -20] }
const CLAP_OPEN = { leftUpperArm: [0, -70, -30], rightUpperArm: [0, 70, 30], leftLowerArm: [0, -45, 0], rightLowerArm: [0, 45, 0] }
const CLAP_SHUT = { leftUpperArm: [0, -78, -30], rightUpperArm: [0, 78, 30], leftLowerArm: [0, -82, 0], rightLowerArm: [0, 82, 0] }
const CHEER_LOW = { leftUpperArm: [0, -10, 55], rightUpperArm: [0, 10, -55], leftLowerArm: [0, -20, 15], rightLowerArm: [0, 20, -15], spine: [-3, 0, 0], head: [-8, 0, 0] }
const CHEER_HIGH = { leftUpperArm: [0, -10, 75], rightUpperArm: [0, 10, -75], leftLowerArm: [0, -5, 5], rightLowerArm: [0, 5, -5], spine: [-5, 0, 0], head: [-12, 0, 0] }
const THINK = {
  rightUpperArm: [0, 60, 53],
  rightLowerArm: [0, 128, 0],
  rightHand: [0, 0, -20],
  leftUpperArm: [0, -45, -62],
  leftLowerArm: [0, -95, 0],
  neck: [0, 8, 0],
  head: [-6, 6, 9],
}

/** The clips: name → keys (times ascending; the first and last are the base pose for emotes). */
const CLIPS = {
  // A loop: the chest rises and falls, the shoulders lift a little with each breath.
  idle: [0, 1, 2, 3, 4].map((t) => {
    const s = Math.sin((t / 4) * Math.PI * 2)
    return key(t, {
      chest: [1.2 * s, 0, 0],
      upperChest: [-1 * s, 0, 0],
      leftShoulder: [0, 0, 1.5 * s],
      rightShoulder: [0, 0, -1.5 * s],
      head: [-0.8 * s, 0, 0],
      leftLowerArm: [0, -12 - 2 * s, 0],
      rightLowerArm: [0, 12 + 2 * s, 0],
    })
  }),
  wave: [
    key(0),
    key(0.4, { ...WAVE_ARM, rightLowerArm: [0, 10, -80] }),
    ...cycle(0.4, 0.5, 3, { ...WAVE_ARM, rightLowerArm: [0, 10, -80] }, { ...WAVE_ARM, rightLowerArm: [0, 10, -105], rightHand: [0, 0, -10] }).slice(1),
    key(2.4),
  ],
  bow: [
    key(0),
    key(0.7, { spine: [16, 0, 0], chest: [10, 0, 0], upperChest: [6, 0, 0], neck: [10, 0, 0], head: [6, 0, 0], leftUpperArm: [0, -10, -78], rightUpperArm: [0, 10, 78] }),
    key(1.5, { spine: [16, 0, 0], chest: [10, 0, 0], upperChest: [6, 0, 0], neck: [10, 0, 0], head: [6, 0, 0], leftUpperArm: [0, -10, -78], rightUpperArm: [0, 10, 78] }),
    key(2.4),
  ],
  clap: [key(0), ...cycle(0.35, 0.32, 4, CLAP_OPEN, CLAP_SHUT), key(2.0)],
  cheer: [key(0), ...cycle(0.35, 0.4, 3, CHEER_LOW, CHEER_HIGH), key(2.0)],
  thinking: [key(0), key(0.6, THINK), key(1.6, { ...THINK, head: [-8, 10, 12] }), key(2.4, THINK), key(3.0)],
}

const FLOAT = 5126

/** Writes one clip as a GLB. */
function buildVrma(name, keys) {
  const nodes = BONES.map(([bone, parent, world]) => {
    const p = parent ? BONES.find((b) => b[0] === parent)[2] : [0, 0, 0]
    return { name: bone, translation: world.map((v, i) => Math.round((v - p[i]) * 1e6) / 1e6) }
  })
  BONES.forEach(([, parent], i) => {
    if (parent) (nodes[BONES.findIndex((b) => b[0] === parent)].children ??= []).push(i)
  })
  const humanBones = {}
  BONES.forEach(([bone], i) => {
    humanBones[bone] = { node: i }
  })

  const parts = []
  let byteLength = 0
  const bufferViews = []
  const accessors = []
  const addAccessor = (floats, type, minMax) => {
    const bytes = new Uint8Array(floats.buffer)
    bufferViews.push({ buffer: 0, byteOffset: byteLength, byteLength: bytes.byteLength })
    parts.push(bytes)
    byteLength += bytes.byteLength
    const accessor = { bufferView: bufferViews.length - 1, componentType: FLOAT, count: floats.length / (type === 'VEC4' ? 4 : 1), type }
    if (minMax) Object.assign(accessor, { min: [floats[0]], max: [floats[floats.length - 1]] })
    accessors.push(accessor)
    return accessors.length - 1
  }

  const input = addAccessor(new Float32Array(keys.map((k) => k.t)), 'SCALAR', true)
  const animated = Object.keys(BASE)
  const channels = []
  const samplers = []
  const q = new Quaternion()
  const e = new Euler()
  const d = Math.PI / 180
  for (const bone of animated) {
    const values = new Float32Array(keys.length * 4)
    let prev = null
    keys.forEach((k, i) => {
      const [x, y, z] = k.pose[bone] ?? BASE[bone]
      q.setFromEuler(e.set(x * d, y * d, z * d, 'XYZ'))
      // Keep consecutive keys in one hemisphere so the interpolation takes the short way.
      if (prev && prev.dot(q) < 0) q.set(-q.x, -q.y, -q.z, -q.w)
      prev = (prev ?? new Quaternion()).copy(q)
      values.set([q.x, q.y, q.z, q.w].map((v) => Math.round(v * 1e6) / 1e6), i * 4)
    })
    samplers.push({ input, output: addAccessor(values, 'VEC4', false), interpolation: 'LINEAR' })
    channels.push({ sampler: samplers.length - 1, target: { node: BONES.findIndex((b) => b[0] === bone), path: 'rotation' } })
  }

  const json = {
    asset: { version: '2.0', generator: 'Lingjing make-vrma.mjs' },
    extensionsUsed: ['VRMC_vrm_animation'],
    extensions: { VRMC_vrm_animation: { specVersion: '1.0', humanoid: { humanBones } } },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes,
    animations: [{ name, channels, samplers }],
    accessors,
    bufferViews,
    buffers: [{ byteLength }],
  }
  return toGlb(json, parts, byteLength)
}

const here = dirname(fileURLToPath(import.meta.url))
const target = resolve(process.argv[2] ?? resolve(here, '../../assets/animations'))
mkdirSync(target, { recursive: true })
for (const [name, keys] of Object.entries(CLIPS)) {
  const glb = buildVrma(name, keys)
  writeFileSync(join(target, `${name}.vrma`), glb)
  console.log(`wrote ${join(target, `${name}.vrma`)}: ${glb.byteLength} bytes, ${keys.at(-1).t} s, ${keys.length} keys`)
}
