import { Vector3 } from 'three'
import type { Language } from '../../core/app/options'
import { LIFE_SUPPORT_UNITS, armTargetDistance, getFixture, readLifeSupport, type LifeSupportQuantity, type ModuleLayout, type TianheWorld } from '../../core/tianhe'
import { drawParagraph, font, roundRect, type CanvasPanel } from './canvas-panel'
import { SCREENS } from './outfitting'
import { atlasUv, upFor, wallQuad, type QuadSpec } from './quads'
import { TIANHE_STRINGS as S } from './tianhe-strings'

/**
 * The module's displays, all drawn into one canvas atlas and shown on one merged mesh (one draw
 * call): the main touch-screen console with the life-support page, the auxiliary console, the
 * robotic-arm workstation (with a plan of the arm tip and its target), the filter ΔP gauge, the
 * treadmill display, the water-ball station display and the stowage list by the stowage ring.
 * Redrawn only when a shown value changes (checked a few times a second, never per frame).
 */

/** Atlas size in pixels. */
export const SCREEN_ATLAS = { w: 1024, h: 1536 }

type Rect = [number, number, number, number]
const R: Record<string, Rect> = {
  main: [0, 0, 1024, 626],
  aux: [0, 640, 512, 329],
  arm: [512, 640, 512, 341],
  filter: [0, 990, 512, 256],
  treadmill: [512, 990, 512, 256],
  station: [0, 1260, 512, 256],
  stowage: [512, 1246, 512, 290],
}

function uv(r: Rect): [number, number, number, number] {
  return atlasUv(r[0], r[1], r[2], r[3], SCREEN_ATLAS.w, SCREEN_ATLAS.h)
}

/** Quads of every display (built once). */
export function screenQuads(layout: ModuleLayout): QuadSpec[] {
  const quads: QuadSpec[] = []
  const rect: Record<string, Rect> = { 'console-main': R.main, 'console-aux': R.aux, 'arm-console': R.arm }
  for (const s of SCREENS) quads.push(wallQuad(layout, s.fixture, s.axialSize, s.faceSize, uv(rect[s.fixture]), 0.053))
  const filter = getFixture('filter-panel', layout)
  quads.push(wallQuad(layout, { theta: 270, s: -filter.position[2] - 0.38 }, 0.26, 0.13, uv(R.filter), 0.053))
  // Treadmill display on the aft face of its control box (the runner faces fore).
  const tm = getFixture('treadmill', layout)
  const tmS = -tm.position[2]
  const normalAft = new Vector3(0, 0, -1)
  quads.push({ center: new Vector3(0, tm.position[1] + 0.33, -(tmS - 0.72) - 0.045), normal: normalAft, up: upFor(normalAft), width: 0.36, height: 0.18, uv: uv(R.treadmill) })
  quads.push(wallQuad(layout, 'water-ball-station', 0.28, 0.14, uv(R.station), 0.012, -0.36, 0))
  const fore = new Vector3(0, 0, 1)
  quads.push({ center: new Vector3(0, 0.86, -12.575), normal: fore, up: upFor(fore), width: 0.52, height: 0.295, uv: uv(R.stowage) })
  return quads
}

function clip(ctx: CanvasRenderingContext2D, r: Rect, bg: string, border = '#3b5370'): void {
  ctx.restore()
  ctx.save()
  roundRect(ctx, r[0] + 2, r[1] + 2, r[2] - 4, r[3] - 4, 14, bg, border, 4)
  ctx.beginPath()
  ctx.rect(r[0], r[1], r[2], r[3])
  ctx.clip()
}

function header(ctx: CanvasRenderingContext2D, r: Rect, text: string, size = 30): number {
  ctx.fillStyle = '#1b3a5c'
  ctx.fillRect(r[0] + 6, r[1] + 6, r[2] - 12, size * 1.6)
  ctx.font = font(size, 700)
  ctx.fillStyle = '#e8f4ff'
  ctx.textAlign = 'left'
  ctx.textBaseline = 'middle'
  ctx.fillText(text, r[0] + 20, r[1] + 6 + size * 0.8)
  return r[1] + 12 + size * 1.6
}

const QUANTITIES: [LifeSupportQuantity, keyof typeof S][] = [
  ['pressure', 'pressure'],
  ['o2', 'o2'],
  ['co2', 'co2'],
  ['temperature', 'temperature'],
  ['humidity', 'humidity'],
]

/** A key of everything the displays show; redraw when it changes. */
export function screensKey(world: TianheWorld, lang: Language, blink: boolean): string {
  const ls = world.lifeSupport
  const q = QUANTITIES.map(([k]) => readLifeSupport(ls, k)).join(',')
  const alarms = ls.alarms.map((a) => (a.active ? (a.acknowledged ? 'a' : 'A') : '-')).join('')
  const arm = `${world.armPowered}${world.armBraked}${world.armMode}${armTargetDistance(world).toFixed(world.armPowered && !world.armBraked ? 2 : 1)}`
  const wb = `${world.waterBall.active}${world.waterBall.ballInside}${Math.floor(world.waterBall.stillTimeS)}`
  const tm = `${world.treadmill.harnessed}${world.treadmill.running}${Math.floor(world.treadmill.runTimeS)}`
  const cargo = `${world.tianzhouHatchOpen}${JSON.stringify(world.stowage)}${world.held.join()}`
  return `${lang}|${world.consoleAwake}|${q}|${alarms}|${blink}|${arm}|${wb}|${tm}|${cargo}|${readLifeSupport(ls, 'filter-dp')}|${ls.panelOpen}${ls.cartridge}${ls.cartridgeLocked}`
}

/** Paints every display. */
export function paintScreens(panel: CanvasPanel, world: TianheWorld, lang: Language, blink: boolean): void {
  panel.redraw((ctx) => {
    ctx.fillStyle = '#06090e'
    ctx.fillRect(0, 0, SCREEN_ATLAS.w, SCREEN_ATLAS.h)
    ctx.save()
    paintMain(ctx, world, lang, blink)
    paintAux(ctx, world, lang)
    paintArm(ctx, world, lang)
    paintFilter(ctx, world, lang)
    paintTreadmill(ctx, world, lang)
    paintStation(ctx, world, lang)
    paintStowage(ctx, world, lang)
  })
}

function paintMain(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language, blink: boolean): void {
  const r = R.main
  clip(ctx, r, world.consoleAwake ? '#0b1a2c' : '#05080c')
  if (!world.consoleAwake) {
    ctx.font = font(56, 700)
    ctx.fillStyle = '#5d7fa3'
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText(S.consoleAsleep[lang], r[0] + r[2] / 2, r[1] + r[3] / 2)
    return
  }
  let y = header(ctx, r, `${S.lifeSupport[lang]} · ECLSS`, 34)
  const ls = world.lifeSupport
  QUANTITIES.forEach(([k, label], i) => {
    const yy = y + 16 + i * 70
    ctx.font = font(36, 600)
    ctx.fillStyle = '#9cc9ee'
    ctx.textAlign = 'left'
    ctx.textBaseline = 'top'
    ctx.fillText(S[label][lang], r[0] + 30, yy)
    ctx.font = font(46, 700)
    ctx.fillStyle = '#f4fbff'
    ctx.textAlign = 'right'
    const decimals = k === 'co2' ? 2 : k === 'humidity' ? 0 : 1
    ctx.fillText(`${readLifeSupport(ls, k).toFixed(decimals)} ${LIFE_SUPPORT_UNITS[k]}`, r[0] + 640, yy - 6)
  })
  y += 16
  ctx.font = font(30, 700)
  ctx.fillStyle = '#ffd36b'
  ctx.textAlign = 'left'
  ctx.fillText(S.alarms[lang], r[0] + 680, y)
  const active = ls.alarms.filter((a) => a.active)
  active.forEach((a, i) => {
    const yy = y + 50 + i * 90
    const unacked = !a.acknowledged
    roundRect(ctx, r[0] + 670, yy, 330, 80, 10, unacked ? (blink ? '#a32020' : '#5e1414') : '#2a3b2a', unacked ? '#ff8080' : '#6fbf6f')
    drawParagraph(ctx, `${a.label[lang]}${unacked ? '' : ` · ${S.acknowledged[lang]}`}`, r[0] + 684, yy + 8, 306, 26, '#ffffff', 600, 2)
  })
}

function paintAux(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.aux
  clip(ctx, r, '#0b1a2c')
  let y = header(ctx, r, lang === 'zh' ? '站务状态' : 'Station status', 26)
  const lines = [
    world.tianzhouHatchOpen ? S.hatchOpen[lang] : S.hatchClosed[lang],
    `${lang === 'zh' ? '天舟货包' : 'Bags in Tianzhou'}: ${world.tianzhouCargo.length}`,
    `${lang === 'zh' ? '手中' : 'In hand'}: ${world.held.join(', ') || '—'}`,
    `${S.filterDp[lang]}: ${readLifeSupport(world.lifeSupport, 'filter-dp').toFixed(2)} kPa`,
  ]
  for (const line of lines) {
    y += drawParagraph(ctx, line, r[0] + 20, y + 8, r[2] - 40, 28, '#d8ecff', 600, 1) + 8
  }
}

function paintArm(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.arm
  clip(ctx, r, '#0a1420')
  const y = header(ctx, r, S.armStatus[lang], 26)
  const status = [world.armPowered ? S.powered[lang] : S.unpowered[lang], world.armBraked ? S.braked[lang] : S.free[lang], world.armMode === 'joint' ? S.modeJoint[lang] : S.modeCartesian[lang]]
  ctx.font = font(22, 600)
  ctx.textAlign = 'left'
  ctx.textBaseline = 'top'
  ctx.fillStyle = world.armPowered ? '#7be08f' : '#ff8a7a'
  ctx.fillText(status.join(' · '), r[0] + 16, y + 6)
  const d = armTargetDistance(world)
  ctx.font = font(34, 700)
  ctx.fillStyle = d <= 0.3 ? '#7be08f' : '#ffd36b'
  ctx.fillText(`${S.target[lang]} ${d.toFixed(2)} m`, r[0] + 16, y + 40)
  // Plan view (x across, z along the module) of base, tip and target; 1 px = 2.5 cm.
  const cx = r[0] + 380
  const cy = r[1] + 220
  const k = 12
  ctx.strokeStyle = '#2d4a6a'
  ctx.lineWidth = 2
  ctx.strokeRect(cx - 120, cy - 100, 240, 200)
  const px = (x: number) => cx + (x - world.arm.base.x) * k
  const pz = (z: number) => cy + (z - world.arm.base.z) * k
  ctx.strokeStyle = '#9cc9ee'
  ctx.lineWidth = 4
  ctx.beginPath()
  ctx.moveTo(px(world.arm.jointPositions[0].x), pz(world.arm.jointPositions[0].z))
  for (const p of world.arm.jointPositions) ctx.lineTo(px(p.x), pz(p.z))
  ctx.stroke()
  ctx.fillStyle = '#ffd36b'
  ctx.beginPath()
  ctx.arc(px(world.armTarget.x), pz(world.armTarget.z), 9, 0, Math.PI * 2)
  ctx.fill()
  ctx.fillStyle = '#ffffff'
  ctx.beginPath()
  ctx.arc(px(world.arm.eePosition.x), pz(world.arm.eePosition.z), 6, 0, Math.PI * 2)
  ctx.fill()
  // Height bar: tip vs target above the hull.
  const hb = (v: number) => r[1] + 320 - (v - world.arm.base.y) * 22
  ctx.fillStyle = '#2d4a6a'
  ctx.fillRect(r[0] + 40, r[1] + 110, 16, 210)
  ctx.fillStyle = '#ffd36b'
  ctx.fillRect(r[0] + 32, hb(world.armTarget.y) - 3, 32, 6)
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(r[0] + 36, hb(world.arm.eePosition.y) - 2, 24, 4)
}

function paintFilter(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.filter
  clip(ctx, r, '#0a1420')
  const ls = world.lifeSupport
  ctx.font = font(30, 600)
  ctx.fillStyle = '#9cc9ee'
  ctx.textAlign = 'left'
  ctx.textBaseline = 'top'
  ctx.fillText(S.filterDp[lang], r[0] + 20, r[1] + 16)
  ctx.font = font(84, 700)
  ctx.fillStyle = '#f4fbff'
  ctx.fillText(`${readLifeSupport(ls, 'filter-dp').toFixed(2)} kPa`, r[0] + 20, r[1] + 60)
  ctx.font = font(26, 600)
  ctx.fillStyle = ls.panelOpen ? '#ffd36b' : '#7be08f'
  ctx.fillText(ls.panelOpen ? S.panelOpen[lang] : `${lang === 'zh' ? '滤芯' : 'Cartridge'}: ${ls.cartridge}${ls.cartridgeLocked ? ' 🔒' : ''}`, r[0] + 20, r[1] + 186)
}

function paintTreadmill(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.treadmill
  const t = world.treadmill
  clip(ctx, r, '#0a1420')
  ctx.font = font(32, 700)
  ctx.fillStyle = '#e8f4ff'
  ctx.textAlign = 'left'
  ctx.textBaseline = 'top'
  ctx.fillText(`${S.treadmill[lang]} · ${t.running ? S.running[lang] : S.stopped[lang]}`, r[0] + 20, r[1] + 16)
  ctx.font = font(80, 700)
  ctx.fillStyle = t.running ? '#7be08f' : '#9fb3c8'
  ctx.fillText(`${Math.floor(t.runTimeS)} s`, r[0] + 20, r[1] + 70)
  ctx.font = font(28, 600)
  ctx.fillStyle = t.harnessed ? '#7be08f' : '#ffd36b'
  ctx.fillText(`${S.harness[lang]}: ${t.harnessed ? '✓' : '—'}`, r[0] + 20, r[1] + 180)
}

function paintStation(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.station
  const wb = world.waterBall
  clip(ctx, r, '#0a1420')
  ctx.font = font(34, 700)
  ctx.fillStyle = '#e8f4ff'
  ctx.textAlign = 'left'
  ctx.textBaseline = 'top'
  ctx.fillText(`${S.waterBall[lang]}: ${wb.active ? '●' : '○'}`, r[0] + 20, r[1] + 20)
  ctx.font = font(30, 600)
  ctx.fillStyle = wb.ballInside ? '#7be08f' : '#9fb3c8'
  ctx.fillText(`${S.ballStill[lang]}: ${wb.ballInside ? `${wb.stillTimeS.toFixed(0)} s` : '—'}`, r[0] + 20, r[1] + 90)
}

function paintStowage(ctx: CanvasRenderingContext2D, world: TianheWorld, lang: Language): void {
  const r = R.stowage
  clip(ctx, r, '#0b1a2c')
  let y = header(ctx, r, S.stowageList[lang], 26)
  for (const [bag, slot] of Object.entries(world.stowageList)) {
    const done = world.stowage[slot] === bag
    ctx.font = font(30, 600)
    ctx.fillStyle = done ? '#7be08f' : '#e8f4ff'
    ctx.textAlign = 'left'
    ctx.textBaseline = 'top'
    ctx.fillText(`${done ? '✓' : '·'} ${bag} → ${slot.replace('stowage-s', 'S-')}`, r[0] + 24, y + 6)
    y += 50
  }
}
