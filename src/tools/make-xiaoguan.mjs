#!/usr/bin/env node
/**
 * Builds Xiaoguan (小关), Lingjing's mascot, as a binary glTF: `node src/tools/make-xiaoguan.mjs [out.glb]`
 * (default assets/xiaoguan/xiaoguan.glb).
 *
 * Design: a chibi robot-sprite about 0.5 m tall. A big round head with a dark visor face, glowing
 * cyan eyes and a smile, pink cheeks, two antenna "ears" with golden tips, a golden egg body
 * (the gold of the mascot portal) with a cream belly, stubby arms, blue boots, and a small golden
 * ring floating over the head: the 关 ("gate") of its name, echoing the hub's portal rings.
 *
 * Rigid node hierarchy (no skinning: cheap on phones): xiaoguan → foot_L, foot_R, hips → body,
 * head (→ halo, outfit nodes), arm_L, arm_R (→ controller). Outfits are ordinary nodes whose
 * names start with `outfit_<name>_` and whose extras say `{ outfit: name }`: the app toggles
 * their visibility. Animation clips are TRS tracks sampled from the pose functions below.
 *
 * Deterministic: no clock, no randomness, fixed iteration order, so re-running gives identical
 * bytes (the unit test checks this).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// ---------------------------------------------------------------------------------------------
// Small math: 4x4 column-major matrices, quaternions from XYZ Euler angles (three's default order).

function quatFromEuler(x, y, z) {
  const c1 = Math.cos(x / 2), c2 = Math.cos(y / 2), c3 = Math.cos(z / 2)
  const s1 = Math.sin(x / 2), s2 = Math.sin(y / 2), s3 = Math.sin(z / 2)
  return [s1 * c2 * c3 + c1 * s2 * s3, c1 * s2 * c3 - s1 * c2 * s3, c1 * c2 * s3 + s1 * s2 * c3, c1 * c2 * c3 - s1 * s2 * s3]
}

function compose(t = [0, 0, 0], euler = [0, 0, 0], s = [1, 1, 1]) {
  const [x, y, z, w] = quatFromEuler(euler[0], euler[1], euler[2])
  const x2 = x + x, y2 = y + y, z2 = z + z
  const xx = x * x2, xy = x * y2, xz = x * z2, yy = y * y2, yz = y * z2, zz = z * z2
  const wx = w * x2, wy = w * y2, wz = w * z2
  return [
    (1 - (yy + zz)) * s[0], (xy + wz) * s[0], (xz - wy) * s[0], 0,
    (xy - wz) * s[1], (1 - (xx + zz)) * s[1], (yz + wx) * s[1], 0,
    (xz + wy) * s[2], (yz - wx) * s[2], (1 - (xx + yy)) * s[2], 0,
    t[0], t[1], t[2], 1,
  ]
}

function transformPoint(m, p) {
  return [m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12], m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13], m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14]]
}

/** Normals go through the inverse transpose of the upper 3x3 (non-uniform scale keeps them right). */
function transformNormal(m, n) {
  const a = m[0], b = m[4], c = m[8], d = m[1], e = m[5], f = m[9], g = m[2], h = m[6], i = m[10]
  // Cofactor matrix = det * inverse transpose; the determinant's sign and size vanish on normalising.
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g
  const D = -(b * i - c * h), E = a * i - c * g, F = -(a * h - b * g)
  const G = b * f - c * e, H = -(a * f - c * d), I = a * e - b * d
  const det = a * A + b * B + c * C
  const sign = det < 0 ? -1 : 1
  const x = (A * n[0] + D * n[1] + G * n[2]) * sign
  const y = (B * n[0] + E * n[1] + H * n[2]) * sign
  const z = (C * n[0] + F * n[1] + I * n[2]) * sign
  const len = Math.hypot(x, y, z) || 1
  return [x / len, y / len, z / len]
}

/** sRGB hex → linear RGB bytes (glTF vertex colours are linear). */
function linearBytes(hex) {
  const v = parseInt(hex.slice(1), 16)
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => {
    const s = c / 255
    const l = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
    return Math.round(l * 255)
  })
}

// ---------------------------------------------------------------------------------------------
// Parametric shapes, appended into a primitive builder in node space.

function createPrimitive() {
  return { positions: [], normals: [], colors: [], indices: [] }
}

/** A grid surface (u around, v along) from a function giving [position, normal] in shape space. */
function addGrid(prim, segU, segV, fn, matrix, color) {
  const base = prim.positions.length / 3
  const rgb = linearBytes(color)
  for (let j = 0; j <= segV; j++) {
    for (let i = 0; i <= segU; i++) {
      const [p, n] = fn(i / segU, j / segV)
      prim.positions.push(...transformPoint(matrix, p))
      prim.normals.push(...transformNormal(matrix, n))
      prim.colors.push(rgb[0], rgb[1], rgb[2], 255)
    }
  }
  for (let j = 0; j < segV; j++) {
    for (let i = 0; i < segU; i++) {
      const a = base + j * (segU + 1) + i
      const b = a + segU + 1
      prim.indices.push(a, b, a + 1, b, b + 1, a + 1)
    }
  }
}

/** Ellipsoid (a scaled sphere); `segs` = [around, pole to pole]. */
function ellipsoid(prim, { at = [0, 0, 0], r = [1, 1, 1], rot = [0, 0, 0], color, segs = [18, 12] }) {
  const sphere = (u, v) => {
    const theta = u * Math.PI * 2
    const phi = v * Math.PI
    const n = [-Math.cos(theta) * Math.sin(phi), Math.cos(phi), Math.sin(theta) * Math.sin(phi)]
    return [n, n]
  }
  addGrid(prim, segs[0], segs[1], sphere, compose(at, rot, r), color)
}

/** Capsule along +y from the origin, `length` between the hemisphere centres. */
function capsule(prim, { at = [0, 0, 0], rot = [0, 0, 0], radius, length, color, segs = [12, 10] }) {
  const half = segs[1] / 2
  const fn = (u, v) => {
    const theta = u * Math.PI * 2
    // v in [0, 1]: bottom hemisphere, then top hemisphere shifted by `length`.
    const phi = v * Math.PI
    const n = [-Math.cos(theta) * Math.sin(phi), -Math.cos(phi), Math.sin(theta) * Math.sin(phi)]
    const lift = v * segs[1] > half ? length : v * segs[1] === half ? length / 2 : 0
    return [[n[0] * radius, n[1] * radius + lift, n[2] * radius], n]
  }
  addGrid(prim, segs[0], segs[1], fn, compose(at, rot), color)
}

/** Torus in the xy plane around +z; `arc` radians of the ring starting at `start`. */
function torus(prim, { at = [0, 0, 0], rot = [0, 0, 0], scale = [1, 1, 1], radius, tube, color, arc = Math.PI * 2, start = 0, segs = [32, 8] }) {
  const fn = (u, v) => {
    const a = start + u * arc
    const b = v * Math.PI * 2
    const n = [Math.cos(a) * Math.cos(b), Math.sin(a) * Math.cos(b), Math.sin(b)]
    const p = [(radius + tube * Math.cos(b)) * Math.cos(a), (radius + tube * Math.cos(b)) * Math.sin(a), tube * Math.sin(b)]
    return [p, n]
  }
  addGrid(prim, segs[0], segs[1], fn, compose(at, rot, scale), color)
}

/** Closed cylinder along +y, centred on the origin. */
function cylinder(prim, { at = [0, 0, 0], rot = [0, 0, 0], radius, height, color, segs = 16 }) {
  const m = compose(at, rot)
  const side = (u, v) => {
    const theta = u * Math.PI * 2
    const n = [-Math.cos(theta), 0, Math.sin(theta)]
    return [[n[0] * radius, (v - 0.5) * height, n[2] * radius], n]
  }
  addGrid(prim, segs, 1, side, m, color)
  for (const sign of [1, -1]) {
    const cap = (u, v) => {
      const theta = u * Math.PI * 2 * sign
      return [[-Math.cos(theta) * radius * v, (sign * height) / 2, Math.sin(theta) * radius * v], [0, sign, 0]]
    }
    addGrid(prim, segs, 1, cap, m, color)
  }
}

// ---------------------------------------------------------------------------------------------
// The character.

const C = {
  gold: '#ffc23d',
  goldDeep: '#f29e1f',
  cream: '#fff4dc',
  white: '#f3f6ff',
  visor: '#18203a',
  glow: '#7df4ff',
  blush: '#ff86ad',
  boot: '#2f5bd3',
  ink: '#2a3044',
  pink: '#ff5fa2',
  cyan: '#4fc3ff',
  suit: '#e4e9f2',
  tank: '#3d7bea',
}

/** Material indices into MATERIALS. */
const TOON = 0
const GLOW = 1
const GLASS = 2

const MATERIALS = [
  { name: 'xiaoguan-toon', pbrMetallicRoughness: { baseColorFactor: [1, 1, 1, 1], metallicFactor: 0, roughnessFactor: 0.55 } },
  {
    name: 'xiaoguan-glow',
    pbrMetallicRoughness: { baseColorFactor: [0.5, 0.95, 1, 1], metallicFactor: 0, roughnessFactor: 0.3 },
    emissiveFactor: [0.45, 0.95, 1],
  },
  {
    name: 'xiaoguan-glass',
    pbrMetallicRoughness: { baseColorFactor: [0.75, 0.9, 1, 0.22], metallicFactor: 0.1, roughnessFactor: 0.05 },
    alphaMode: 'BLEND',
  },
]

/** Rest pose of every animated node (translation, Euler rotation, scale). */
const REST = {
  xiaoguan: { t: [0, 0, 0], r: [0, 0, 0], s: [1, 1, 1] },
  hips: { t: [0, 0.055, 0], r: [0, 0, 0], s: [1, 1, 1] },
  head: { t: [0, 0.19, 0], r: [0, 0, 0], s: [1, 1, 1] },
  arm_L: { t: [0.092, 0.135, 0], r: [0, 0, 0.45], s: [1, 1, 1] },
  arm_R: { t: [-0.092, 0.135, 0], r: [0, 0, -0.45], s: [1, 1, 1] },
  halo: { t: [0, 0.33, 0], r: [0, 0, 0], s: [1, 1, 1] },
}

function buildNodes() {
  /** Each node: name, parent, rest TRS, primitives by material, extras. */
  const nodes = []
  const add = (name, parent, rest, extras) => {
    const node = { name, parent, rest: rest ?? { t: [0, 0, 0], r: [0, 0, 0], s: [1, 1, 1] }, prims: new Map(), extras }
    nodes.push(node)
    return node
  }
  const prim = (node, material) => {
    if (!node.prims.has(material)) node.prims.set(material, createPrimitive())
    return node.prims.get(material)
  }

  const root = add('xiaoguan', null, REST.xiaoguan)
  for (const side of [1, -1]) {
    const foot = add(side > 0 ? 'foot_L' : 'foot_R', root, { t: [side * 0.052, 0.028, 0.008], r: [0, side * 0.15, 0], s: [1, 1, 1] })
    ellipsoid(prim(foot, TOON), { r: [0.042, 0.03, 0.058], color: C.boot, segs: [14, 10] })
    ellipsoid(prim(foot, TOON), { at: [0, -0.012, 0.006], r: [0.044, 0.016, 0.06], color: C.white, segs: [14, 6] })
  }

  const hips = add('hips', root, REST.hips)
  const body = prim(hips, TOON)
  ellipsoid(body, { at: [0, 0.085, 0], r: [0.1, 0.1, 0.09], color: C.gold, segs: [22, 14] })
  ellipsoid(body, { at: [0, 0.075, 0.046], r: [0.066, 0.066, 0.052], color: C.cream, segs: [18, 12] })
  // A little golden star badge on the belly.
  ellipsoid(body, { at: [0, 0.095, 0.097], r: [0.014, 0.014, 0.006], color: C.goldDeep, segs: [10, 6] })

  const head = add('head', hips, REST.head)
  const face = prim(head, TOON)
  ellipsoid(face, { at: [0, 0.12, 0], r: [0.145, 0.135, 0.135], color: C.white, segs: [28, 18] })
  ellipsoid(face, { at: [0, 0.11, 0.072], r: [0.112, 0.082, 0.07], color: C.visor, segs: [24, 14] })
  for (const side of [1, -1]) {
    ellipsoid(face, { at: [side * 0.103, 0.072, 0.088], rot: [0, side * 0.85, 0], r: [0.024, 0.014, 0.006], color: C.blush, segs: [10, 6] })
    // Antenna ears: a short white stalk leaning out, a golden ball on top.
    capsule(face, { at: [side * 0.07, 0.225, 0], rot: [0, 0, -side * 0.45], radius: 0.013, length: 0.05, color: C.white })
    ellipsoid(face, { at: [side * 0.097, 0.283, 0], r: [0.024, 0.024, 0.024], color: C.gold, segs: [12, 8] })
    // Eye highlights sit on the glowing eyes.
    ellipsoid(face, { at: [side * 0.043 + 0.009, 0.128, 0.148], r: [0.007, 0.008, 0.004], color: '#ffffff', segs: [8, 6] })
  }
  const glow = prim(head, GLOW)
  for (const side of [1, -1]) {
    ellipsoid(glow, { at: [side * 0.043, 0.118, 0.137], r: [0.021, 0.03, 0.012], color: C.glow, segs: [12, 8] })
  }
  torus(glow, { at: [0, 0.082, 0.138], rot: [-0.25, 0, 0], radius: 0.02, tube: 0.0045, arc: Math.PI * 0.8, start: Math.PI * 1.1, color: C.glow, segs: [12, 6] })

  const halo = add('halo', head, REST.halo)
  torus(prim(halo, TOON), { rot: [Math.PI / 2, 0, 0], radius: 0.068, tube: 0.009, color: C.gold, segs: [28, 8] })

  for (const side of [1, -1]) {
    const arm = add(side > 0 ? 'arm_L' : 'arm_R', hips, side > 0 ? REST.arm_L : REST.arm_R)
    const p = prim(arm, TOON)
    capsule(p, { at: [0, -0.075, 0], radius: 0.026, length: 0.05, color: C.gold })
    ellipsoid(p, { at: [0, -0.088, 0], r: [0.031, 0.031, 0.031], color: C.cream, segs: [14, 10] })
  }

  // Outfit "gamer": a headset with pink ear cups and a mic, and a controller in the right hand.
  const headset = add('outfit_gamer_headset', head, null, { outfit: 'gamer' })
  const hs = prim(headset, TOON)
  torus(hs, { at: [0, 0.12, 0], radius: 0.152, tube: 0.012, arc: Math.PI * 0.86, start: Math.PI * 0.07, color: C.ink })
  for (const side of [1, -1]) {
    cylinder(hs, { at: [side * 0.148, 0.115, 0], rot: [0, 0, Math.PI / 2], radius: 0.048, height: 0.034, color: C.pink, segs: 18 })
    cylinder(hs, { at: [side * 0.168, 0.115, 0], rot: [0, 0, Math.PI / 2], radius: 0.03, height: 0.012, color: C.ink, segs: 14 })
  }
  capsule(hs, { at: [-0.15, 0.1, 0.02], rot: [1.25, 0, 0.35], radius: 0.006, length: 0.09, color: C.ink, segs: [8, 6] })
  ellipsoid(prim(headset, GLOW), { at: [-0.115, 0.068, 0.112], r: [0.013, 0.013, 0.013], color: C.glow, segs: [8, 6] })

  const armR = nodes.find((n) => n.name === 'arm_R')
  const controller = add('outfit_gamer_controller', armR, { t: [0.0, -0.105, 0.035], r: [0.2, 0, 0.45], s: [1, 1, 1] }, { outfit: 'gamer' })
  const pad = prim(controller, TOON)
  ellipsoid(pad, { r: [0.058, 0.02, 0.034], color: C.ink, segs: [16, 8] })
  for (const side of [1, -1]) ellipsoid(pad, { at: [side * 0.045, -0.004, -0.012], r: [0.024, 0.022, 0.03], color: C.ink, segs: [10, 8] })
  ellipsoid(pad, { at: [0.026, 0.018, 0.005], r: [0.008, 0.006, 0.008], color: C.pink, segs: [8, 4] })
  ellipsoid(pad, { at: [0.04, 0.018, -0.006], r: [0.008, 0.006, 0.008], color: C.cyan, segs: [8, 4] })
  cylinder(pad, { at: [-0.026, 0.022, 0], radius: 0.009, height: 0.012, color: '#8c93a8', segs: 10 })

  // Outfit "astronaut": a glass bubble helmet with a collar ring, and a life-support backpack.
  const helmet = add('outfit_astronaut_helmet', head, null, { outfit: 'astronaut' })
  ellipsoid(prim(helmet, GLASS), { at: [0, 0.125, 0.005], r: [0.19, 0.185, 0.185], color: '#ffffff', segs: [24, 14] })
  torus(prim(helmet, TOON), { at: [0, -0.005, 0], rot: [Math.PI / 2, 0, 0], radius: 0.1, tube: 0.02, color: C.suit, segs: [28, 8] })
  const backpack = add('outfit_astronaut_backpack', hips, null, { outfit: 'astronaut' })
  const bp = prim(backpack, TOON)
  ellipsoid(bp, { at: [0, 0.1, -0.095], r: [0.082, 0.092, 0.045], color: C.suit, segs: [16, 10] })
  for (const side of [1, -1]) capsule(bp, { at: [side * 0.042, 0.045, -0.13], radius: 0.022, length: 0.09, color: C.tank })
  ellipsoid(prim(backpack, GLOW), { at: [0, 0.16, -0.138], r: [0.012, 0.012, 0.008], color: C.glow, segs: [8, 6] })

  return nodes
}

// ---------------------------------------------------------------------------------------------
// Animation clips: pose functions of time, sampled at a fixed rate.

const FPS = 15
const smooth = (x) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x))
const TAU = Math.PI * 2

/** A pose: per node, partial overrides of the rest TRS. */
function pose(overrides) {
  const out = {}
  for (const name of Object.keys(REST)) {
    const rest = REST[name]
    const o = overrides[name] ?? {}
    out[name] = { t: o.t ?? rest.t, r: o.r ?? rest.r, s: o.s ?? rest.s }
  }
  return out
}

const add3 = (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
const haloSpin = (t, speed = 1.2) => [0, t * speed * TAU * 0.25, 0]

/** Every clip: duration (s), loop flag for the app, and the pose at time t. */
const CLIPS = {
  // Swoops down in a spiral with arms out like wings, then lands with a squash.
  'fly-in': {
    duration: 2,
    loop: false,
    pose: (t) => {
      const k = smooth(t / 1.6)
      const land = t > 1.6 ? Math.sin(((t - 1.6) / 0.4) * Math.PI) : 0
      return pose({
        xiaoguan: { t: [0, 0.55 * (1 - k), 0], r: [0, (1 - k) * TAU * 1.5, 0], s: [1 + 0.12 * land, 1 - 0.16 * land, 1 + 0.12 * land] },
        hips: { r: [0.35 * (1 - k), 0, 0] },
        arm_L: { r: [0, 0, 0.45 + 1.0 * (1 - k)] },
        arm_R: { r: [0, 0, -0.45 - 1.0 * (1 - k)] },
        head: { r: [-0.2 * (1 - k), 0, 0] },
        halo: { r: haloSpin(t, 3) },
      })
    },
  },
  // Gentle breathing bob, a slow head tilt and swaying arms; loops seamlessly.
  'hover-idle': {
    duration: 2.4,
    loop: true,
    pose: (t) => {
      const a = (t / 2.4) * TAU
      return pose({
        hips: { t: add3(REST.hips.t, [0, 0.008 * Math.sin(a), 0]), s: [1 + 0.015 * Math.sin(a), 1 - 0.015 * Math.sin(a), 1] },
        head: { r: [0.04 * Math.sin(a), 0, 0.06 * Math.sin(a + 1)] },
        arm_L: { r: [0.1 * Math.sin(a), 0, 0.45 + 0.08 * Math.sin(a)] },
        arm_R: { r: [-0.1 * Math.sin(a), 0, -0.45 - 0.08 * Math.sin(a)] },
        halo: { t: add3(REST.halo.t, [0, 0.01 * Math.sin(a + 0.5), 0]), r: [0, (t / 2.4) * TAU, 0] },
      })
    },
  },
  // Right arm up, hand waving side to side, head tilted toward the wave.
  wave: {
    duration: 1.8,
    loop: false,
    pose: (t) => {
      const up = smooth(t / 0.3) * (1 - smooth((t - 1.5) / 0.3))
      const swing = Math.sin(t * TAU * 2) * 0.35 * up
      return pose({
        arm_R: { r: [0, 0, -0.45 - 2.2 * up + swing] },
        head: { r: [0, 0.1 * up, -0.14 * up] },
        hips: { r: [0, 0, -0.05 * up] },
        halo: { r: haloSpin(t) },
      })
    },
  },
  // Right arm straight out forward-left, body leaning, head looking the same way.
  point: {
    duration: 1.6,
    loop: false,
    pose: (t) => {
      const k = smooth(t / 0.35) * (1 - smooth((t - 1.3) / 0.3))
      return pose({
        arm_R: { r: [-1.45 * k, 0.25 * k, -0.45 + 0.3 * k] },
        hips: { r: [0.08 * k, 0.3 * k, 0] },
        head: { r: [0, 0.2 * k, 0] },
        halo: { r: haloSpin(t) },
      })
    },
  },
  // Two nods of the head, the body following a little.
  nod: {
    duration: 1.2,
    loop: false,
    pose: (t) => {
      const n = Math.max(0, Math.sin((t / 1.2) * TAU * 2)) * smooth(t / 0.15)
      return pose({ head: { r: [0.32 * n, 0, 0] }, hips: { r: [0.06 * n, 0, 0] }, halo: { r: haloSpin(t) } })
    },
  },
  // A bouncy dance: hop on the beat, hips twisting, arms pumping in turn, a spin at the end.
  dance: {
    duration: 2.4,
    loop: true,
    pose: (t) => {
      const beat = (t / 2.4) * 4
      const hop = Math.abs(Math.sin(beat * Math.PI))
      const side = Math.sin(beat * Math.PI * 0.5 * 2)
      return pose({
        xiaoguan: { t: [0, 0.045 * hop, 0] },
        hips: { r: [0, 0.35 * side, 0.1 * side], s: [1 + 0.05 * (1 - hop), 1 - 0.06 * (1 - hop), 1 + 0.05 * (1 - hop)] },
        head: { r: [0.08 * hop, -0.2 * side, -0.15 * side] },
        arm_L: { r: [0, 0, 0.45 + 1.6 * Math.max(0, side)] },
        arm_R: { r: [0, 0, -0.45 - 1.6 * Math.max(0, -side)] },
        halo: { r: haloSpin(t, 4) },
      })
    },
  },
  // A little jump into a V-pose with a head tilt, held for the camera.
  'photo-pose': {
    duration: 1.6,
    loop: false,
    pose: (t) => {
      const jump = t < 0.5 ? Math.sin((t / 0.5) * Math.PI) : 0
      const k = smooth(t / 0.4)
      return pose({
        xiaoguan: { t: [0, 0.08 * jump, 0] },
        arm_L: { r: [0, 0, 0.45 + 1.9 * k] },
        arm_R: { r: [-0.3 * k, 0, -0.45 - 2.1 * k] },
        head: { r: [0.05 * k, 0, 0.22 * k] },
        hips: { r: [0, 0, 0.06 * k] },
        halo: { r: haloSpin(t, 2) },
      })
    },
  },
  // Crouches, then launches up and away with a spin, shrinking into the distance.
  'fly-away': {
    duration: 1.8,
    loop: false,
    pose: (t) => {
      const crouch = t < 0.4 ? Math.sin((t / 0.4) * Math.PI) : 0
      const k = smooth((t - 0.35) / 1.45)
      return pose({
        xiaoguan: { t: [0, 1.2 * k * k, -0.4 * k], r: [0, k * TAU * 2, 0], s: [1 + 0.1 * crouch - 0.9 * k, 1 - 0.18 * crouch - 0.9 * k, 1 + 0.1 * crouch - 0.9 * k] },
        arm_L: { r: [0, 0, 0.45 + 2.3 * k] },
        arm_R: { r: [0, 0, -0.45 - 2.3 * k] },
        head: { r: [-0.3 * k, 0, 0] },
        halo: { r: haloSpin(t, 5) },
      })
    },
  },
}

// ---------------------------------------------------------------------------------------------
// GLB writer.

/** Builds the GLB bytes. Exported for the unit test (determinism, contents). */
export function buildXiaoguanGlb() {
  const nodes = buildNodes()
  const chunks = []
  let byteLength = 0
  const bufferViews = []
  const accessors = []

  const pushView = (bytes, target) => {
    const padding = (4 - (byteLength % 4)) % 4
    if (padding) {
      chunks.push(new Uint8Array(padding))
      byteLength += padding
    }
    const view = { buffer: 0, byteOffset: byteLength, byteLength: bytes.byteLength }
    if (target) view.target = target
    chunks.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    byteLength += bytes.byteLength
    bufferViews.push(view)
    return bufferViews.length - 1
  }
  const pushAccessor = (array, type, componentType, options = {}) => {
    const size = { SCALAR: 1, VEC3: 3, VEC4: 4 }[type]
    const view = pushView(array, options.target)
    // A padded layout (e.g. 3 bytes + 1 spare per element) keeps every element 4-byte aligned.
    if (options.stride) bufferViews[view].byteStride = options.stride
    const stored = options.stored ?? size
    const accessor = { bufferView: view, componentType, count: array.length / stored, type }
    if (options.normalized) accessor.normalized = true
    if (options.minMax) {
      const min = new Array(size).fill(Infinity)
      const max = new Array(size).fill(-Infinity)
      for (let i = 0; i < array.length; i++) {
        min[i % size] = Math.min(min[i % size], array[i])
        max[i % size] = Math.max(max[i % size], array[i])
      }
      accessor.min = min.map((v) => Math.fround(v))
      accessor.max = max.map((v) => Math.fround(v))
    }
    accessors.push(accessor)
    return accessors.length - 1
  }

  const meshes = []
  const gltfNodes = nodes.map((node) => {
    const out = { name: node.name }
    const { t, r, s } = node.rest
    if (t.some((v) => v !== 0)) out.translation = t
    if (r.some((v) => v !== 0)) out.rotation = quatFromEuler(r[0], r[1], r[2])
    if (s.some((v) => v !== 1)) out.scale = s
    if (node.extras) out.extras = node.extras
    if (node.prims.size > 0) {
      const primitives = []
      for (const [material, prim] of [...node.prims.entries()].sort((a, b) => a[0] - b[0])) {
        const vertexCount = prim.positions.length / 3
        const position = pushAccessor(new Float32Array(prim.positions), 'VEC3', 5126, { minMax: true, target: 34962 })
        // Normals quantised to signed bytes (KHR_mesh_quantization): 4 bytes instead of 12 per vertex.
        const packed = new Int8Array(vertexCount * 4)
        for (let i = 0; i < vertexCount; i++) {
          for (let c = 0; c < 3; c++) packed[i * 4 + c] = Math.round(prim.normals[i * 3 + c] * 127)
        }
        const normal = pushAccessor(packed, 'VEC3', 5120, { normalized: true, target: 34962, stride: 4, stored: 4 })
        const color = pushAccessor(new Uint8Array(prim.colors), 'VEC4', 5121, { normalized: true, target: 34962 })
        const indices = pushAccessor(vertexCount > 65535 ? new Uint32Array(prim.indices) : new Uint16Array(prim.indices), 'SCALAR', vertexCount > 65535 ? 5125 : 5123, { target: 34963 })
        primitives.push({ attributes: { POSITION: position, NORMAL: normal, COLOR_0: color }, indices, material })
      }
      meshes.push({ name: node.name, primitives })
      out.mesh = meshes.length - 1
    }
    return out
  })
  nodes.forEach((node, index) => {
    const children = nodes.map((n, i) => (n.parent === node ? i : -1)).filter((i) => i >= 0)
    if (children.length) gltfNodes[index].children = children
  })
  const nodeIndex = (name) => nodes.findIndex((n) => n.name === name)

  const animations = []
  for (const [name, clip] of Object.entries(CLIPS)) {
    const count = Math.round(clip.duration * FPS) + 1
    const times = new Float32Array(count)
    const poses = []
    for (let i = 0; i < count; i++) {
      times[i] = (i / (count - 1)) * clip.duration
      poses.push(clip.pose(times[i]))
    }
    const input = pushAccessor(times, 'SCALAR', 5126, { minMax: true })
    const samplers = []
    const channels = []
    for (const target of Object.keys(REST)) {
      for (const path of ['translation', 'rotation', 'scale']) {
        const values = []
        for (const p of poses) {
          const trs = p[target]
          if (path === 'translation') values.push(...trs.t)
          else if (path === 'scale') values.push(...trs.s)
          else values.push(...quatFromEuler(trs.r[0], trs.r[1], trs.r[2]))
        }
        // A channel that never leaves the rest pose is left out (smaller file, same motion).
        const rest = path === 'translation' ? REST[target].t : path === 'scale' ? REST[target].s : quatFromEuler(...REST[target].r)
        const size = rest.length
        if (values.every((v, i) => Math.abs(v - rest[i % size]) < 1e-6)) continue
        const output = pushAccessor(new Float32Array(values), path === 'rotation' ? 'VEC4' : 'VEC3', 5126)
        samplers.push({ input, output, interpolation: 'LINEAR' })
        channels.push({ sampler: samplers.length - 1, target: { node: nodeIndex(target), path } })
      }
    }
    animations.push({ name, samplers, channels, extras: { loop: clip.loop } })
  }

  const json = {
    asset: { version: '2.0', generator: 'lingjing make-xiaoguan.mjs' },
    extensionsUsed: ['KHR_mesh_quantization'],
    extensionsRequired: ['KHR_mesh_quantization'],
    scene: 0,
    scenes: [{ name: 'Xiaoguan', nodes: [0] }],
    nodes: gltfNodes,
    meshes,
    materials: MATERIALS,
    animations,
    accessors,
    bufferViews,
    buffers: [{ byteLength: 0 }],
    extras: { outfits: ['gamer', 'astronaut'], heightMetres: 0.55 },
  }
  const binPadding = (4 - (byteLength % 4)) % 4
  if (binPadding) {
    chunks.push(new Uint8Array(binPadding))
    byteLength += binPadding
  }
  json.buffers[0].byteLength = byteLength
  let jsonText = JSON.stringify(json)
  while (Buffer.byteLength(jsonText) % 4 !== 0) jsonText += ' '
  const jsonBytes = Buffer.from(jsonText, 'utf8')
  const header = Buffer.alloc(12)
  const total = 12 + 8 + jsonBytes.length + 8 + byteLength
  header.writeUInt32LE(0x46546c67, 0) // 'glTF'
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(total, 8)
  const jsonHeader = Buffer.alloc(8)
  jsonHeader.writeUInt32LE(jsonBytes.length, 0)
  jsonHeader.writeUInt32LE(0x4e4f534a, 4) // 'JSON'
  const binHeader = Buffer.alloc(8)
  binHeader.writeUInt32LE(byteLength, 0)
  binHeader.writeUInt32LE(0x004e4942, 4) // 'BIN\0'
  return Buffer.concat([header, jsonHeader, jsonBytes, binHeader, ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))])
}

/** Clip names, for the app and the test. */
export const XIAOGUAN_CLIPS = Object.keys(CLIPS)

const here = dirname(fileURLToPath(import.meta.url))
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? `${here}/../../assets/xiaoguan/xiaoguan.glb`)
  mkdirSync(dirname(out), { recursive: true })
  const glb = buildXiaoguanGlb()
  writeFileSync(out, glb)
  console.log(`wrote ${out} (${(glb.length / 1024).toFixed(1)} KB)`)
}
