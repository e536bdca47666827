#!/usr/bin/env node
/**
 * Builds Lingjing's default virtual host, `assets/avatars/lingjing-host.vrm` (VRM 1.0), from code:
 * a stylised presenter made of skinned primitives (spheres, capsules, tori), a full humanoid
 * skeleton with fingers and eyes, a face with morph targets for the VRM visemes, blinks and
 * emotions, and first-person annotations. Everything here is the Lingjing project's own work.
 *
 * glTF is written by hand (JSON + one binary buffer): three's geometry generators make the
 * vertices, nothing else from three is needed, so this runs in plain Node. The output is
 * deterministic (no clock, no randomness): re-running it gives the same bytes.
 *
 *   node src/tools/make-default-avatar.mjs            # writes assets/avatars/lingjing-host.vrm
 *   node src/tools/make-default-avatar.mjs out.vrm    # writes elsewhere
 *   node src/tools/make-default-avatar.mjs --vrm0 [out.vrm]
 *
 * `--vrm0` writes the same host as a VRM 0.x file (the `VRM` extension, as UniVRM 0.x exports it:
 * facing -Z, thumb bones named Proximal/Intermediate/Distal, blend shape groups with 0.x preset
 * names) so that loading 0.x avatars is tested on a real 0.x file. It is not shipped: by default it
 * goes to test-results/fixtures/lingjing-host-vrm0.vrm.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { HOST_BONES } from './default-host-skeleton.mjs'
import { toGlb } from './glb-writer.mjs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CapsuleGeometry, CylinderGeometry, Euler, Matrix4, Quaternion, SphereGeometry, TorusGeometry, Vector3 } from 'three'

// ---------------------------------------------------------------------------------------------
// Skeleton: rest T-pose facing +Z, the avatar's left is +X, floor at y = 0, no bone rotations.
// ---------------------------------------------------------------------------------------------

/** [name, parent, world position]; order = glTF node order after the root. */
const BONES = HOST_BONES.map(([name, parent, at]) => [name, parent, [...at]]) // a copy: the fingers are appended below

// Fingers: along ±X from the hand, palm down, thumb 45° toward +Z (VRM rest hand).
const FINGERS = [
  // name, z offset at the knuckle, segment lengths
  ['Index', 0.026, [0.034, 0.022, 0.019]],
  ['Middle', 0.008, [0.037, 0.024, 0.02]],
  ['Ring', -0.01, [0.034, 0.022, 0.019]],
  ['Little', -0.027, [0.027, 0.018, 0.016]],
]
const SEGMENTS = ['Proximal', 'Intermediate', 'Distal']
for (const side of ['left', 'right']) {
  const s = side === 'left' ? 1 : -1
  const hand = `${side}Hand`
  const hx = 0.635
  const y = 1.318
  for (const [finger, z, lengths] of FINGERS) {
    let x = hx + 0.078
    let parent = hand
    for (let k = 0; k < 3; k++) {
      const name = `${side}${finger}${SEGMENTS[k]}`
      BONES.push([name, parent, [s * x, y, z]])
      parent = name
      x += lengths[k]
    }
  }
  // Thumb: metacarpal at the base of the palm, then two phalanges diagonally forward.
  const d = Math.SQRT1_2
  let tx = hx + 0.018
  let tz = 0.022
  let parent = hand
  for (const [seg, len] of [
    ['Metacarpal', 0.03],
    ['Proximal', 0.028],
    ['Distal', 0.022],
  ]) {
    const name = `${side}Thumb${seg}`
    BONES.push([name, parent, [s * tx, y - 0.008, tz]])
    parent = name
    tx += len * d
    tz += len * d
  }
}

const boneIndex = new Map(BONES.map((b, i) => [b[0], i]))
const boneWorld = new Map(BONES.map((b) => [b[0], new Vector3(...b[2])]))
const bone = (name) => {
  const i = boneIndex.get(name)
  if (i === undefined) throw new Error(`unknown bone ${name}`)
  return i
}

// ---------------------------------------------------------------------------------------------
// Materials
// ---------------------------------------------------------------------------------------------

const MATERIALS = [
  // name, base colour (sRGB hex), roughness, emissive (sRGB hex or null), double sided
  ['skin', 0xf8dac8, 0.7, null, false],
  ['hair', 0x22264a, 0.45, null, false],
  ['jacket', 0x2f4c9c, 0.55, null, false],
  ['white', 0xf2f3fa, 0.6, null, true],
  ['accent', 0xff5fa2, 0.45, 0x4a0f28, false],
  ['glow', 0x56d6ff, 0.3, 0x2aa8d8, false],
  ['tights', 0x24273d, 0.75, null, false],
  ['eye', 0x2c1d45, 0.3, null, false],
  ['highlight', 0xffffff, 0.2, 0x909090, false],
  ['mouth', 0xb8404f, 0.6, null, false],
  ['blush', 0xff9db2, 0.9, null, false],
  ['metal', 0x3a3f55, 0.35, null, false],
]
const materialIndex = new Map(MATERIALS.map((m, i) => [m[0], i]))

function srgbToLinear(c) {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}
function linearRgb(hex) {
  return [(hex >> 16) & 255, (hex >> 8) & 255, hex & 255].map((v) => round(srgbToLinear(v / 255), 5))
}
function round(v, digits = 6) {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

// ---------------------------------------------------------------------------------------------
// Meshes: parts placed in avatar space, bound to bones, with optional morph deltas
// ---------------------------------------------------------------------------------------------

/** Morph target names of the face mesh, in target-index order. */
const MORPHS = ['aa', 'ih', 'ou', 'ee', 'oh', 'blink', 'blinkLeft', 'blinkRight', 'happy', 'angry', 'sad', 'relaxed', 'surprised']

function createMesh(name, withMorphs) {
  return { name, morphs: withMorphs ? MORPHS : [], primitives: new Map() }
}

function primitiveOf(mesh, material) {
  let p = mesh.primitives.get(material)
  if (!p) {
    p = { material, positions: [], normals: [], joints: [], weights: [], indices: [], morphs: mesh.morphs.map(() => []) }
    mesh.primitives.set(material, p)
  }
  return p
}

/**
 * Adds a geometry to a mesh. `transform` places it in avatar space; `skin(v)` returns up to four
 * [boneName, weight] pairs for a vertex; `morph(name, v, out)` writes a displacement (or leaves 0).
 */
function addPart(mesh, material, geometry, transform, skin, morph = null) {
  const g = geometry.index ? geometry : geometry
  g.applyMatrix4(transform)
  const p = primitiveOf(mesh, material)
  const base = p.positions.length / 3
  const pos = g.getAttribute('position')
  const nor = g.getAttribute('normal')
  const v = new Vector3()
  const d = new Vector3()
  for (let i = 0; i < pos.count; i++) {
    v.fromBufferAttribute(pos, i)
    p.positions.push(v.x, v.y, v.z)
    const n = new Vector3().fromBufferAttribute(nor, i).normalize()
    p.normals.push(n.x, n.y, n.z)
    const influences = typeof skin === 'string' ? [[skin, 1]] : skin(v)
    const j = [0, 0, 0, 0]
    const w = [0, 0, 0, 0]
    let total = 0
    influences.slice(0, 4).forEach(([b, weight], k) => {
      j[k] = bone(b)
      w[k] = weight
      total += weight
    })
    // Weights as normalized bytes that sum to exactly 255 (glTF requires a sum of 1).
    const bytes = w.map((x) => Math.round((total > 0 ? x / total : 0) * 255))
    bytes[0] += 255 - bytes.reduce((a, b) => a + b, 0)
    p.joints.push(...j)
    p.weights.push(...bytes)
    for (let m = 0; m < mesh.morphs.length; m++) {
      d.set(0, 0, 0)
      if (morph) morph(mesh.morphs[m], v, d)
      p.morphs[m].push(d.x, d.y, d.z)
    }
  }
  const index = g.index
  if (index) for (let i = 0; i < index.count; i++) p.indices.push(base + index.getX(i))
  else for (let i = 0; i < pos.count; i++) p.indices.push(base + i)
  g.dispose()
}

const m4 = (position = [0, 0, 0], rotation = [0, 0, 0], scale = [1, 1, 1]) =>
  new Matrix4().compose(new Vector3(...position), new Quaternion().setFromEuler(new Euler(...rotation)), new Vector3(...scale))

/** A capsule from a to b (avatar space) of radius r. */
function capsuleBetween(a, b, r, radial = 12, cap = 4) {
  const from = new Vector3(...a)
  const to = new Vector3(...b)
  const dir = new Vector3().subVectors(to, from)
  const length = dir.length()
  const g = new CapsuleGeometry(r, Math.max(1e-4, length), cap, radial)
  const q = new Quaternion().setFromUnitVectors(new Vector3(0, 1, 0), dir.normalize())
  const t = new Matrix4().compose(from.clone().add(to).multiplyScalar(0.5), q, new Vector3(1, 1, 1))
  return { g, t }
}

/** Linear blend between two bones along the segment a→b (smooth bends at elbows and knees). */
function blendAlong(boneA, boneB, a, b, start = 0.75) {
  const A = new Vector3(...a)
  const B = new Vector3(...b)
  const ab = new Vector3().subVectors(B, A)
  const len2 = ab.lengthSq()
  return (v) => {
    const t = new Vector3().subVectors(v, A).dot(ab) / len2
    const k = Math.min(1, Math.max(0, (t - start) / (1 - start + 0.15)))
    const wb = 0.5 * k
    return wb > 0.001 ? [[boneA, 1 - wb], [boneB, wb]] : [[boneA, 1]]
  }
}

const P = (name) => boneWorld.get(name).toArray()

const body = createMesh('Body', false)
const headMesh = createMesh('Head', false)
const face = createMesh('Face', true)

// --- Torso: a fitted jacket (chest, waist) over a flared white skirt -------------------------
const torsoSkin = (v) => {
  // Vertical blend hips → spine → chest → upper chest so bending the spine stays smooth.
  const ys = [
    ['hips', 0.9],
    ['spine', 1.0],
    ['chest', 1.12],
    ['upperChest', 1.23],
  ]
  if (v.y <= ys[0][1]) return [['hips', 1]]
  for (let i = 0; i < ys.length - 1; i++) {
    const [a, ya] = ys[i]
    const [b, yb] = ys[i + 1]
    if (v.y <= yb) {
      const t = (v.y - ya) / (yb - ya)
      return [[a, 1 - t], [b, t]]
    }
  }
  return [['upperChest', 1]]
}
addPart(body, 'jacket', new SphereGeometry(1, 24, 16), m4([0, 1.235, -0.005], [0, 0, 0], [0.145, 0.13, 0.1]), torsoSkin)
addPart(body, 'jacket', new SphereGeometry(1, 24, 16), m4([0, 1.085, 0], [0, 0, 0], [0.118, 0.15, 0.085]), torsoSkin)
addPart(body, 'jacket', new SphereGeometry(1, 24, 12), m4([0, 0.945, 0], [0, 0, 0], [0.14, 0.085, 0.095]), 'hips')
// Skirt: an open frustum flaring from the waist, white with a pink hem ring.
addPart(body, 'white', new CylinderGeometry(0.13, 0.215, 0.23, 28, 1, true), m4([0, 0.85, 0]), 'hips')
addPart(body, 'accent', new TorusGeometry(0.215, 0.011, 6, 36), m4([0, 0.735, 0], [Math.PI / 2, 0, 0]), 'hips')
// Belt and collar.
addPart(body, 'metal', new TorusGeometry(0.122, 0.014, 6, 32), m4([0, 0.975, 0], [Math.PI / 2, 0, 0], [1, 0.74, 1]), 'hips')
addPart(body, 'glow', new SphereGeometry(0.022, 12, 8), m4([0, 0.975, 0.093], [0, 0, 0], [1.3, 0.9, 0.5]), 'hips')
addPart(body, 'accent', new TorusGeometry(0.06, 0.016, 8, 24), m4([0, 1.355, -0.005], [Math.PI / 2 + 0.15, 0, 0]), 'upperChest')
// Jacket lapels: two white stripes down the front, and the Lingjing badge on the left chest.
for (const s of [1, -1]) {
  addPart(body, 'white', new CapsuleGeometry(0.012, 0.16, 3, 8), m4([s * 0.035, 1.22, 0.095], [0.25, 0, s * 0.32]), torsoSkin)
}
addPart(body, 'glow', new CylinderGeometry(0.022, 0.022, 0.006, 20), m4([0.07, 1.265, 0.106], [Math.PI / 2 - 0.35, 0, 0]), 'upperChest')

// --- Arms ---------------------------------------------------------------------------------
for (const side of ['left', 'right']) {
  const s = side === 'left' ? 1 : -1
  const up = P(`${side}UpperArm`)
  const lo = P(`${side}LowerArm`)
  const ha = P(`${side}Hand`)
  addPart(body, 'jacket', new SphereGeometry(0.062, 16, 12), m4([s * 0.13, 1.318, -0.003], [0, 0, 0], [1.1, 0.95, 1]), `${side}UpperArm`)
  addPart(body, 'accent', new TorusGeometry(0.055, 0.008, 6, 24), m4([s * 0.175, 1.32, 0], [0, Math.PI / 2, 0]), `${side}UpperArm`)
  {
    const { g, t } = capsuleBetween([up[0] + s * 0.02, up[1], up[2]], [lo[0], lo[1], lo[2]], 0.041)
    addPart(body, 'jacket', g, t, blendAlong(`${side}UpperArm`, `${side}LowerArm`, up, lo))
  }
  {
    const { g, t } = capsuleBetween(lo, [ha[0] - s * 0.03, ha[1], ha[2]], 0.034)
    addPart(body, 'white', g, t, blendAlong(`${side}LowerArm`, `${side}Hand`, lo, ha, 0.85))
  }
  addPart(body, 'accent', new TorusGeometry(0.038, 0.01, 6, 20), m4([ha[0] - s * 0.035, ha[1], ha[2]], [0, Math.PI / 2, 0]), `${side}LowerArm`)
  // Gloved hand: palm and fingers.
  addPart(body, 'white', new SphereGeometry(1, 16, 10), m4([ha[0] + s * 0.042, ha[1] - 0.002, ha[2]], [0, 0, 0], [0.046, 0.02, 0.044]), `${side}Hand`)
  for (const [finger, , lengths] of FINGERS) {
    for (let k = 0; k < 3; k++) {
      const b = `${side}${finger}${SEGMENTS[k]}`
      const a = P(b)
      const r = finger === 'Little' ? 0.0075 : 0.0088
      const { g, t } = capsuleBetween(a, [a[0] + s * lengths[k] * 0.92, a[1], a[2]], r, 8, 3)
      addPart(body, 'white', g, t, b)
    }
  }
  const thumbLengths = [0.03, 0.028, 0.022]
  ;['Metacarpal', 'Proximal', 'Distal'].forEach((seg, k) => {
    const b = `${side}Thumb${seg}`
    const a = P(b)
    const len = thumbLengths[k] * 0.92 * Math.SQRT1_2
    const { g, t } = capsuleBetween(a, [a[0] + s * len, a[1], a[2] + len], k === 0 ? 0.012 : 0.0095, 8, 3)
    addPart(body, 'white', g, t, b)
  })
}

// --- Legs: dark tights, white boots with pink cuffs -------------------------------------------
for (const side of ['left', 'right']) {
  const s = side === 'left' ? 1 : -1
  const ul = P(`${side}UpperLeg`)
  const ll = P(`${side}LowerLeg`)
  const ft = P(`${side}Foot`)
  {
    const { g, t } = capsuleBetween([ul[0], ul[1] + 0.02, ul[2]], ll, 0.058)
    addPart(body, 'tights', g, t, blendAlong(`${side}UpperLeg`, `${side}LowerLeg`, ul, ll))
  }
  {
    const { g, t } = capsuleBetween([ll[0], ll[1] - 0.05, ll[2]], [ft[0], ft[1] + 0.02, ft[2]], 0.05, 14, 4)
    addPart(body, 'white', g, t, `${side}LowerLeg`)
  }
  {
    const { g, t } = capsuleBetween(ll, [ll[0], ll[1] - 0.06, ll[2]], 0.045)
    addPart(body, 'tights', g, t, blendAlong(`${side}LowerLeg`, `${side}UpperLeg`, ll, ul, 0.95))
  }
  addPart(body, 'accent', new TorusGeometry(0.052, 0.012, 8, 24), m4([ll[0], ll[1] - 0.055, ll[2]], [Math.PI / 2, 0, 0]), `${side}LowerLeg`)
  addPart(body, 'white', new SphereGeometry(1, 18, 10), m4([ft[0] + s * 0.003, 0.045, ft[2] + 0.045], [0, 0, 0], [0.055, 0.048, 0.11]), `${side}Foot`)
  addPart(body, 'metal', new CylinderGeometry(1, 1, 1, 18), m4([ft[0] + s * 0.003, 0.008, ft[2] + 0.045], [0, 0, 0], [0.056, 0.016, 0.112]), `${side}Foot`)
}

// --- Head: face, neck, bob-cut hair with two buns, a presenter's headset ----------------------
const HEAD_CENTRE = new Vector3(0, 1.545, 0.005)
const HEAD_R = 0.122
{
  const { g, t } = capsuleBetween([0, 1.33, -0.005], [0, 1.45, -0.005], 0.042)
  addPart(headMesh, 'skin', g, t, (v) => (v.y > 1.4 ? [['head', 1]] : [['neck', 1]]))
}
addPart(headMesh, 'skin', new SphereGeometry(1, 32, 24), m4(HEAD_CENTRE.toArray(), [0, 0, 0], [HEAD_R, HEAD_R * 1.03, HEAD_R * 0.96]), 'head')
// Ears.
for (const s of [1, -1]) {
  addPart(headMesh, 'skin', new SphereGeometry(1, 12, 8), m4([s * 0.118, 1.535, -0.005], [0, 0, 0], [0.016, 0.026, 0.02]), 'head')
}
// Hair shell: a larger sphere set back and up, so the face shows through its front.
addPart(headMesh, 'hair', new SphereGeometry(1, 32, 24), m4([0, 1.575, -0.03], [-0.12, 0, 0], [0.136, 0.132, 0.132]), 'head')
// Side locks framing the face, and bangs across the forehead.
for (const s of [1, -1]) {
  addPart(headMesh, 'hair', new CapsuleGeometry(0.03, 0.12, 4, 12), m4([s * 0.102, 1.49, 0.03], [0.1, 0, s * 0.08], [1, 1, 0.8]), 'head')
  addPart(headMesh, 'hair', new SphereGeometry(1, 20, 12), m4([s * 0.06, 1.638, 0.085], [0, 0, s * 0.5], [0.06, 0.03, 0.035]), 'head')
}
addPart(headMesh, 'hair', new SphereGeometry(1, 20, 12), m4([0, 1.65, 0.092], [0, 0, 0], [0.05, 0.028, 0.032]), 'head')
// Two buns with pink ribbons: the host's silhouette, readable from the back row.
for (const s of [1, -1]) {
  addPart(headMesh, 'hair', new SphereGeometry(0.052, 20, 14), m4([s * 0.1, 1.665, -0.035]), 'head')
  addPart(headMesh, 'accent', new TorusGeometry(0.044, 0.01, 8, 24), m4([s * 0.082, 1.648, -0.03], [0.2, 0, s * 0.9]), 'head')
}
// Headset: band over the head is hidden by the hair; an ear cup and a boom mic on the left.
addPart(headMesh, 'metal', new CylinderGeometry(0.032, 0.032, 0.02, 20), m4([0.128, 1.535, -0.005], [0, 0, Math.PI / 2]), 'head')
addPart(headMesh, 'glow', new CylinderGeometry(0.018, 0.018, 0.022, 16), m4([0.132, 1.535, -0.005], [0, 0, Math.PI / 2]), 'head')
{
  const { g, t } = capsuleBetween([0.128, 1.525, 0.015], [0.06, 1.46, 0.115], 0.0045, 6, 2)
  addPart(headMesh, 'metal', g, t, 'head')
}
addPart(headMesh, 'accent', new SphereGeometry(0.012, 10, 8), m4([0.052, 1.458, 0.12]), 'head')

// Face parts sit on the head sphere's front surface.
function onFace(x, y, lift = 0) {
  const dx = x / HEAD_R
  const dy = (y - HEAD_CENTRE.y) / (HEAD_R * 1.03)
  const dz = Math.sqrt(Math.max(0, 1 - dx * dx - dy * dy))
  return HEAD_CENTRE.z + dz * HEAD_R * 0.96 + lift
}

// Eyes: tall dark ovals with a white glint, bound to the eye bones so lookAt moves them.
const EYE_Y = 1.535
const eyeCentres = { left: new Vector3(0.046, EYE_Y, onFace(0.046, EYE_Y, 0.001)), right: new Vector3(-0.046, EYE_Y, onFace(-0.046, EYE_Y, 0.001)) }
function eyeMorph(side) {
  const c = eyeCentres[side]
  return (name, v, out) => {
    const dx = v.x - c.x
    const dy = v.y - c.y
    const closes =
      name === 'blink' || (name === 'blinkLeft' && side === 'left') || (name === 'blinkRight' && side === 'right')
    if (closes) out.set(0, -dy * 0.9 - 0.006, 0) // squash to a line a little below centre
    else if (name === 'happy') out.set(0, -dy * 0.75 + Math.abs(dx) * -0.3 + 0.004, 0) // smiling crescents
    else if (name === 'relaxed') out.set(0, dy > 0 ? -dy * 0.55 : -dy * 0.1, 0) // heavy lids
    else if (name === 'surprised') out.set(dx * 0.15, dy * 0.22, 0)
    else if (name === 'sad') out.set(0, dy > 0 ? -dy * 0.3 : 0, 0)
    else if (name === 'angry') out.set(0, dy > 0 ? -dy * 0.35 : 0, 0)
  }
}
for (const side of ['left', 'right']) {
  const c = eyeCentres[side]
  const s = side === 'left' ? 1 : -1
  addPart(face, 'eye', new SphereGeometry(1, 18, 14), m4(c.toArray(), [0, s * 0.38, 0], [0.017, 0.026, 0.006]), `${side}Eye`, eyeMorph(side))
  const glint = [c.x + s * 0.005, c.y + 0.009, c.z + 0.0045]
  addPart(face, 'highlight', new SphereGeometry(1, 10, 8), m4(glint, [0, 0, 0], [0.0055, 0.0065, 0.002]), `${side}Eye`, (name, v, out) => {
    eyeMorph(side)(name, v, out)
    const closes =
      name === 'blink' || (name === 'blinkLeft' && side === 'left') || (name === 'blinkRight' && side === 'right') || name === 'happy'
    // Pull the glint back under the eyelid line when the eye closes.
    if (closes) out.z -= 0.006
  })
}

// Brows: short dark strokes; emotions tilt and lift them.
for (const side of ['left', 'right']) {
  const s = side === 'left' ? 1 : -1
  const x = s * 0.047
  const y = 1.578
  const centre = new Vector3(x, y, onFace(x, y, 0.002))
  addPart(face, 'hair', new CapsuleGeometry(0.0042, 0.026, 3, 8), m4(centre.toArray(), [0, s * 0.35, Math.PI / 2 - s * 0.08]), 'head', (name, v, out) => {
    const inner = -(v.x - centre.x) * s // > 0 toward the nose
    if (name === 'angry') out.set(0, -0.008 - inner * 0.45, 0)
    else if (name === 'sad') out.set(0, inner * 0.45 + 0.003, 0)
    else if (name === 'surprised') out.set(0, 0.011, 0)
    else if (name === 'happy') out.set(0, 0.004, 0)
    else if (name === 'relaxed') out.set(0, -0.002, 0)
  })
}

// Mouth: a small closed smile; visemes open it into vowel shapes, emotions bend the corners.
{
  const mx = 0
  const my = 1.468
  const c = new Vector3(mx, my, onFace(mx, my, 0.0015))
  const mouthMorph = (name, v, out) => {
    const dx = v.x - c.x
    const dy = v.y - c.y
    const sx = (k) => dx * (k - 1)
    const sy = (k) => dy * (k - 1)
    const curve = (k) => (dx * dx) / 0.0003 * k // corners up (k > 0) or down (k < 0)
    switch (name) {
      case 'aa': out.set(sx(1.15), sy(5) - 0.003, 0); break
      case 'ih': out.set(sx(1.35), sy(2.2), 0); break
      case 'ou': out.set(sx(0.55), sy(3), 0); break
      case 'ee': out.set(sx(1.45), sy(2.6) - 0.001, 0); break
      case 'oh': out.set(sx(0.8), sy(4.2) - 0.002, 0); break
      case 'happy': out.set(sx(1.25), sy(2.2) + curve(0.004) - 0.0015, 0); break
      case 'angry': out.set(sx(0.85), curve(-0.003), 0); break
      case 'sad': out.set(sx(0.9), curve(-0.004) + 0.001, 0); break
      case 'relaxed': out.set(sx(1.1), curve(0.0025), 0); break
      case 'surprised': out.set(sx(0.7), sy(4) - 0.003, 0); break
    }
  }
  addPart(face, 'mouth', new SphereGeometry(1, 18, 10), m4(c.toArray(), [0, 0, 0], [0.019, 0.0042, 0.004]), 'head', mouthMorph)
}
// Cheeks: soft blush discs, a little stronger when happy.
for (const s of [1, -1]) {
  const x = s * 0.072
  const y = 1.5
  const c = new Vector3(x, y, onFace(x, y, -0.0005))
  addPart(face, 'blush', new SphereGeometry(1, 12, 8), m4(c.toArray(), [0, s * 0.6, 0], [0.018, 0.009, 0.003]), 'head', (name, v, out) => {
    if (name === 'happy') out.set((v.x - c.x) * 0.25, (v.y - c.y) * 0.25 + 0.002, 0)
  })
}

// ---------------------------------------------------------------------------------------------
// glTF assembly
// ---------------------------------------------------------------------------------------------

const cliArgs = process.argv.slice(2)
/** Write VRM 0.x instead of 1.0 (see the header). */
const VRM0 = cliArgs.includes('--vrm0')
const outArg = cliArgs.find((a) => !a.startsWith('--'))

/**
 * VRM 0.x models face -Z: turn the host half a turn about Y (x → -x, z → -z) for 0.x output.
 * Applied in place to packed xyz triples (positions, normals, morph deltas).
 */
function facingVrm0(xyz) {
  if (VRM0) {
    for (let i = 0; i < xyz.length; i += 3) {
      xyz[i] = xyz[i] === 0 ? 0 : -xyz[i]
      xyz[i + 2] = xyz[i + 2] === 0 ? 0 : -xyz[i + 2]
    }
  }
  return xyz
}

const chunks = []
let byteLength = 0
const bufferViews = []
const accessors = []

function addView(typed, target) {
  const pad = (4 - (byteLength % 4)) % 4
  if (pad) {
    chunks.push(new Uint8Array(pad))
    byteLength += pad
  }
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength)
  chunks.push(bytes)
  const view = { buffer: 0, byteOffset: byteLength, byteLength: bytes.byteLength }
  if (target) view.target = target
  bufferViews.push(view)
  byteLength += bytes.byteLength
  return bufferViews.length - 1
}

function addAccessor(typed, componentType, type, count, { target, minMax = false, normalized = false } = {}) {
  const accessor = { bufferView: addView(typed, target), componentType, count, type }
  if (normalized) accessor.normalized = true
  if (minMax) {
    const n = type === 'VEC3' ? 3 : 1
    const min = new Array(n).fill(Infinity)
    const max = new Array(n).fill(-Infinity)
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < n; k++) {
        const v = typed[i * n + k]
        if (v < min[k]) min[k] = v
        if (v > max[k]) max[k] = v
      }
    }
    accessor.min = min.map((v) => round(v, 6))
    accessor.max = max.map((v) => round(v, 6))
  }
  accessors.push(accessor)
  return accessors.length - 1
}

const FLOAT = 5126
const UBYTE = 5121
const USHORT = 5123
const UINT = 5125
const ARRAY_BUFFER = 34962
const ELEMENT_ARRAY_BUFFER = 34963

// Nodes: 0 = root, 1..B = bones, then the three mesh nodes.
const nodes = [{ name: 'LingjingHost', children: [] }]
BONES.forEach(([name, parent, world]) => {
  const p = parent ? boneWorld.get(parent) : new Vector3()
  const local = new Vector3(...world).sub(p)
  nodes.push({ name, translation: facingVrm0(local.toArray()).map((v) => round(v, 6)) })
})
BONES.forEach(([, parent], i) => {
  const parentNode = parent ? nodes[bone(parent) + 1] : nodes[0]
  ;(parentNode.children ??= []).push(i + 1)
})

// Inverse bind matrices: bones carry no rotation, so each is a translation by -world position.
const ibm = new Float32Array(BONES.length * 16)
BONES.forEach(([, , world], i) => {
  const [x, y, z] = facingVrm0([...world])
  const m = new Matrix4().makeTranslation(-x, -y, -z)
  ibm.set(m.elements, i * 16)
})
const skin = {
  name: 'HostSkeleton',
  joints: BONES.map((_, i) => i + 1),
  skeleton: bone('hips') + 1,
  inverseBindMatrices: addAccessor(ibm, FLOAT, 'MAT4', BONES.length),
}

const meshes = []
const meshNodes = {}
for (const mesh of [body, headMesh, face]) {
  const primitives = []
  for (const [material, p] of [...mesh.primitives.entries()].sort((a, b) => materialIndex.get(a[0]) - materialIndex.get(b[0]))) {
    const count = p.positions.length / 3
    const attributes = {
      POSITION: addAccessor(facingVrm0(new Float32Array(p.positions)), FLOAT, 'VEC3', count, { target: ARRAY_BUFFER, minMax: true }),
      NORMAL: addAccessor(facingVrm0(new Float32Array(p.normals)), FLOAT, 'VEC3', count, { target: ARRAY_BUFFER }),
      JOINTS_0: addAccessor(new Uint8Array(p.joints), UBYTE, 'VEC4', count, { target: ARRAY_BUFFER }),
      WEIGHTS_0: addAccessor(new Uint8Array(p.weights), UBYTE, 'VEC4', count, { target: ARRAY_BUFFER, normalized: true }),
    }
    const indices =
      count < 65536
        ? addAccessor(new Uint16Array(p.indices), USHORT, 'SCALAR', p.indices.length, { target: ELEMENT_ARRAY_BUFFER })
        : addAccessor(new Uint32Array(p.indices), UINT, 'SCALAR', p.indices.length, { target: ELEMENT_ARRAY_BUFFER })
    const primitive = { attributes, indices, material: materialIndex.get(material), mode: 4 }
    if (mesh.morphs.length > 0) {
      primitive.targets = p.morphs.map((deltas) => ({
        POSITION: addAccessor(facingVrm0(new Float32Array(deltas)), FLOAT, 'VEC3', count, { target: ARRAY_BUFFER, minMax: true }),
      }))
    }
    primitives.push(primitive)
  }
  const entry = { name: mesh.name, primitives }
  if (mesh.morphs.length > 0) {
    entry.weights = mesh.morphs.map(() => 0)
    entry.extras = { targetNames: mesh.morphs }
  }
  meshes.push(entry)
  nodes.push({ name: mesh.name, mesh: meshes.length - 1, skin: 0 })
  meshNodes[mesh.name] = nodes.length - 1
  nodes[0].children.push(nodes.length - 1)
}

const humanBones = {}
for (const [name] of BONES) humanBones[name] = { node: bone(name) + 1 }

const faceNode = meshNodes.Face
/**
 * The host's own override rules, as any VRM author declares them (three-vrm's expression manager
 * applies them): emotions that shape the mouth fade the visemes out as they fade in ('blend'),
 * surprise holds the eyes wide open ('block').
 */
const OVERRIDES = {
  happy: { overrideMouth: 'blend', overrideBlink: 'blend' },
  angry: { overrideMouth: 'blend' },
  sad: { overrideMouth: 'blend' },
  relaxed: { overrideBlink: 'blend' },
  surprised: { overrideMouth: 'blend', overrideBlink: 'block' },
}
const expression = (name, index) => ({
  morphTargetBinds: [{ node: faceNode, index, weight: 1 }],
  isBinary: false,
  overrideBlink: 'none',
  overrideLookAt: 'none',
  overrideMouth: 'none',
  ...OVERRIDES[name],
})
const preset = {}
MORPHS.forEach((name, index) => {
  preset[name] = expression(name, index)
})

const rangeMap = (outputScale) => ({ inputMaxValue: 90, outputScale })
const vrm1 = {
  VRMC_vrm: {
    specVersion: '1.0',
    meta: {
      name: 'Lingjing Host 灵境主播',
      version: '1.0',
      authors: ['Lingjing project'],
      copyrightInformation: 'Lingjing project',
      licenseUrl: 'https://vrm.dev/licenses/1.0/',
      avatarPermission: 'everyone',
      allowExcessivelyViolentUsage: false,
      allowExcessivelySexualUsage: false,
      commercialUsage: 'corporation',
      allowPoliticalOrReligiousUsage: false,
      allowAntisocialOrHateUsage: false,
      creditNotation: 'unnecessary',
      allowRedistribution: true,
      modification: 'allowModificationRedistribution',
    },
    humanoid: { humanBones },
    firstPerson: {
      meshAnnotations: [
        { node: meshNodes.Body, type: 'both' },
        { node: meshNodes.Head, type: 'thirdPersonOnly' },
        { node: meshNodes.Face, type: 'thirdPersonOnly' },
      ],
    },
    lookAt: {
      type: 'bone',
      offsetFromHeadBone: [0, 0.105, 0.07],
      rangeMapHorizontalInner: rangeMap(12),
      rangeMapHorizontalOuter: rangeMap(12),
      rangeMapVerticalDown: rangeMap(8),
      rangeMapVerticalUp: rangeMap(8),
    },
    expressions: { preset },
  },
}

/** VRM 1.0 thumb bones → their VRM 0.x names (0.x has no metacarpal: its chain starts one up). */
const VRM0_THUMB = { Metacarpal: 'Proximal', Proximal: 'Intermediate', Distal: 'Distal' }
/** VRM 1.0 expression → VRM 0.x blend shape preset (0.x has no "surprised": a custom group). */
const VRM0_PRESET = { aa: 'a', ih: 'i', ou: 'u', ee: 'e', oh: 'o', blink: 'blink', blinkLeft: 'blink_l', blinkRight: 'blink_r', happy: 'joy', angry: 'angry', sad: 'sorrow', relaxed: 'fun' }
const degreeMap = (yRange) => ({ curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange })
const vrm0 = {
  VRM: {
    exporterVersion: 'Lingjing make-default-avatar.mjs',
    specVersion: '0.0',
    meta: {
      title: 'Lingjing Host 0.x 灵境主播',
      version: '1.0',
      author: 'Lingjing project',
      contactInformation: '',
      reference: '',
      allowedUserName: 'Everyone',
      violentUssageName: 'Disallow',
      sexualUssageName: 'Disallow',
      commercialUssageName: 'Allow',
      otherPermissionUrl: '',
      licenseName: 'Other',
      otherLicenseUrl: 'https://vrm.dev/licenses/1.0/',
    },
    humanoid: {
      humanBones: BONES.map(([name]) => {
        const thumb = /^(left|right)Thumb(Metacarpal|Proximal|Distal)$/.exec(name)
        return { bone: thumb ? `${thumb[1]}Thumb${VRM0_THUMB[thumb[2]]}` : name, node: bone(name) + 1, useDefaultValues: true }
      }),
      armStretch: 0.05,
      legStretch: 0.05,
      upperArmTwist: 0.5,
      lowerArmTwist: 0.5,
      upperLegTwist: 0.5,
      lowerLegTwist: 0.5,
      feetSpacing: 0,
      hasTranslationDoF: false,
    },
    firstPerson: {
      firstPersonBone: bone('head') + 1,
      // Unity's convention (+Z forward); three-vrm turns it into glTF's -Z.
      firstPersonBoneOffset: { x: 0, y: 0.105, z: 0.07 },
      meshAnnotations: [
        { mesh: nodes[meshNodes.Body].mesh, firstPersonFlag: 'Both' },
        { mesh: nodes[meshNodes.Head].mesh, firstPersonFlag: 'ThirdPersonOnly' },
        { mesh: nodes[meshNodes.Face].mesh, firstPersonFlag: 'ThirdPersonOnly' },
      ],
      lookAtTypeName: 'Bone',
      lookAtHorizontalInner: degreeMap(12),
      lookAtHorizontalOuter: degreeMap(12),
      lookAtVerticalDown: degreeMap(8),
      lookAtVerticalUp: degreeMap(8),
    },
    blendShapeMaster: {
      blendShapeGroups: MORPHS.map((name, index) => ({
        name,
        presetName: VRM0_PRESET[name] ?? 'unknown',
        binds: [{ mesh: nodes[faceNode].mesh, index, weight: 100 }],
        materialValues: [],
        isBinary: false,
      })),
    },
    secondaryAnimation: { boneGroups: [], colliderGroups: [] },
    materialProperties: [],
  },
}

const gltf = {
  asset: { version: '2.0', generator: 'Lingjing make-default-avatar.mjs' },
  extensionsUsed: VRM0 ? ['VRM'] : ['VRMC_vrm'],
  extensions: VRM0 ? vrm0 : vrm1,
  scene: 0,
  scenes: [{ name: 'Lingjing host', nodes: [0] }],
  nodes,
  meshes,
  skins: [skin],
  materials: MATERIALS.map(([name, color, roughness, emissive, doubleSided]) => {
    const m = { name, pbrMetallicRoughness: { baseColorFactor: [...linearRgb(color), 1], metallicFactor: 0, roughnessFactor: roughness } }
    if (emissive !== null) m.emissiveFactor = linearRgb(emissive)
    if (doubleSided) m.doubleSided = true
    return m
  }),
  accessors,
  bufferViews,
  buffers: [{ byteLength }],
}

const glb = toGlb(gltf, chunks, byteLength)
const here = dirname(fileURLToPath(import.meta.url))
const defaultTarget = VRM0 ? '../../test-results/fixtures/lingjing-host-vrm0.vrm' : '../../assets/avatars/lingjing-host.vrm'
const target = resolve(outArg ?? resolve(here, defaultTarget))
mkdirSync(dirname(target), { recursive: true })
writeFileSync(target, glb)
const vertexCount = [body, headMesh, face].reduce((n, m) => n + [...m.primitives.values()].reduce((k, p) => k + p.positions.length / 3, 0), 0)
console.log(`wrote ${target} (VRM ${VRM0 ? '0.x' : '1.0'}): ${(glb.byteLength / 1024).toFixed(0)} KB, ${BONES.length} bones, ${vertexCount} vertices, ${MORPHS.length} morph targets`)
