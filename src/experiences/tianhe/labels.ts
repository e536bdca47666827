import { Vector3 } from 'three'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { getFixture, type ModuleLayout } from '../../core/tianhe'
import { font, roundRect, type CanvasPanel } from './canvas-panel'
import { atlasUv, upFor, wallQuad, type QuadSpec } from './quads'
import { TIANHE_STRINGS } from './tianhe-strings'

/**
 * Every sign in the module — zone signs (both languages, both faces), area signs, port and hatch
 * plates, fixture plates and the stowage slot numbers — drawn once per language into one canvas
 * atlas and shown on one merged mesh (one draw call for all of them).
 */

/** Atlas layout: 4 × 16 cells of 512 × 128 px. */
export const LABEL_ATLAS = { w: 2048, h: 2048, cellW: 512, cellH: 128, cols: 4 }

/** One sign. */
export interface LabelSpec {
  text: Bilingual
  /** 'zone' signs are larger and brighter; 'slot' shows only the short code. */
  style: 'zone' | 'area' | 'plate' | 'slot'
  quads: Omit<QuadSpec, 'uv'>[]
}

function cellUv(i: number): [number, number, number, number] {
  const { w, h, cellW, cellH, cols } = LABEL_ATLAS
  return atlasUv((i % cols) * cellW + 4, Math.floor(i / cols) * cellH + 4, cellW - 8, cellH - 8, w, h)
}

function floating(center: Vector3, normal: Vector3, width: number, height: number): Omit<QuadSpec, 'uv'> {
  return { center, normal: normal.clone().normalize(), up: upFor(normal.clone().normalize()), width, height }
}

function twoFaced(center: Vector3, width: number, height: number): Omit<QuadSpec, 'uv'>[] {
  return [floating(center.clone().setZ(center.z + 0.002), new Vector3(0, 0, 1), width, height), floating(center.clone().setZ(center.z - 0.002), new Vector3(0, 0, -1), width, height)]
}

function stripUv(q: QuadSpec): Omit<QuadSpec, 'uv'> {
  return { center: q.center, normal: q.normal, up: q.up, width: q.width, height: q.height }
}

/** All signs of the module. */
export function createLabels(layout: ModuleLayout): LabelSpec[] {
  const zone = (id: string) => layout.zones.find((z) => z.id === id)!.label
  const area = (id: string) => layout.areas.find((a) => a.id === id)!.label
  const port = (id: string) => layout.ports.find((p) => p.id === id)!.label
  const fx = (id: string) => getFixture(id, layout).label
  const none: [number, number, number, number] = [0, 0, 0, 0]
  const wall = (at: string | { theta: number; s: number }, w: number, h: number, out: number, along = 0, axial = 0) => stripUv(wallQuad(layout, at, w, h, none, out, along, axial))
  const labels: LabelSpec[] = [
    { text: zone('node-cabin'), style: 'zone', quads: twoFaced(new Vector3(0, 0.66, -2.2), 0.56, 0.14) },
    { text: zone('small-column'), style: 'zone', quads: twoFaced(new Vector3(0, 0.8, -5.0), 0.64, 0.16) },
    { text: zone('large-column'), style: 'zone', quads: twoFaced(new Vector3(0, 1.16, -7.95), 0.8, 0.2) },
    { text: zone('aft-passage'), style: 'zone', quads: [floating(new Vector3(0, -0.78, -12.57), new Vector3(0, 0, 1), 0.8, 0.2)] },
    { text: zone('resource-cabin'), style: 'zone', quads: [floating(new Vector3(2.3, 1.2, -14.3), new Vector3(1, 0, 0), 2.0, 0.5)] },
  ]
  for (const [id, s] of [
    ['sleep', 3.95],
    ['hygiene', 4.95],
    ['dining', 6.05],
    ['work', 8.75],
    ['medical', 9.65],
    ['experiment', 10.5],
    ['exercise', 11.75],
  ] as const) {
    labels.push({ text: area(id), style: 'area', quads: [wall({ theta: 135, s }, 0.44, 0.11, 0.008, 0.16)] })
  }
  labels.push({ text: port('port-forward'), style: 'plate', quads: [floating(new Vector3(0, -0.27, -0.02), new Vector3(0, 0, -1), 0.4, 0.1)] })
  labels.push({ text: port('port-nadir'), style: 'plate', quads: [floating(new Vector3(0, -1.08, -0.9), new Vector3(0, 1, 0.35), 0.44, 0.11)] })
  labels.push({ text: port('port-lateral-plus-x'), style: 'plate', quads: [floating(new Vector3(1.08, 0, -0.9), new Vector3(-1, 0, 0.35), 0.44, 0.11)] })
  labels.push({ text: port('port-lateral-minus-x'), style: 'plate', quads: [floating(new Vector3(-1.08, 0, -0.9), new Vector3(1, 0, 0.35), 0.44, 0.11)] })
  labels.push({ text: port('hatch-eva'), style: 'plate', quads: [floating(new Vector3(0, 1.08, -0.9), new Vector3(0, -1, 0.35), 0.44, 0.11)] })
  const plates: [string, number, number][] = [
    // fixture, axial offset (+ fore), along the face
    ['console-main', 0.62, 0],
    ['console-aux', 0.52, 0],
    ['arm-console', 0.46, 0],
    ['alarm-ack', -0.2, 0],
    ['water-ball-station', -0.28, 0],
    ['medical-kit', -0.3, 0],
    ['experiment-rack-1', 0.62, 0],
    ['experiment-rack-2', 0.62, 0],
    ['experiment-rack-3', 0.62, 0],
    ['filter-panel', -0.34, 0],
    ['bicycle-ergometer', -0.46, 0],
    ['sleep-quarter-1', -0.72, 0],
    ['sleep-quarter-2', -0.72, 0],
    ['sleep-quarter-3', -0.72, 0],
    ['toilet', -0.38, 0],
    ['water-dispenser', 0.28, 0],
    ['microwave', 0.27, 0],
    ['fridge', -0.35, 0],
  ]
  for (const [id, axial, along] of plates) labels.push({ text: fx(id), style: 'plate', quads: [wall(id, 0.36, 0.09, 0.008, along, axial)] })
  const tm = getFixture('treadmill', layout)
  labels.push({ text: fx('treadmill'), style: 'plate', quads: [wall({ theta: 180, s: -tm.position[2] }, 0.36, 0.09, 0.008, 0.48)] })
  labels.push({ text: fx('dining-table'), style: 'plate', quads: [wall({ theta: 180, s: 6.0 }, 0.36, 0.09, 0.008, 0.38)] })
  labels.push({ text: fx('hatch-tianzhou'), style: 'plate', quads: [wall({ theta: 90, s: 16.1 }, 0.4, 0.1, 0.005)] })
  labels.push({ text: TIANHE_STRINGS.window, style: 'plate', quads: [wall({ theta: 90, s: 6.55 }, 0.3, 0.075, 0.008, 0.0, 0.38)] })
  for (const f of layout.fixtures) {
    if (!f.id.startsWith('stowage-')) continue
    const waste = f.id === 'stowage-waste'
    labels.push({ text: waste ? f.label : { zh: f.label.zh.replace('储物格 ', ''), en: f.label.en.replace('Stowage ', '') }, style: waste ? 'plate' : 'slot', quads: [wall(f.id, waste ? 0.34 : 0.16, waste ? 0.085 : 0.06, 0.045)] })
  }
  return labels
}

/** Quads with atlas uvs (cell i for label i). */
export function labelQuads(labels: readonly LabelSpec[]): QuadSpec[] {
  const out: QuadSpec[] = []
  labels.forEach((label, i) => {
    for (const q of label.quads) out.push({ ...q, uv: cellUv(i) })
  })
  return out
}

/** Paints every sign in `lang` first, the other language below. */
export function paintLabels(panel: CanvasPanel, labels: readonly LabelSpec[], lang: Language): void {
  const other: Language = lang === 'zh' ? 'en' : 'zh'
  const { cellW, cellH, cols } = LABEL_ATLAS
  panel.redraw((ctx) => {
    ctx.clearRect(0, 0, LABEL_ATLAS.w, LABEL_ATLAS.h)
    labels.forEach((label, i) => {
      const x = (i % cols) * cellW
      const y = Math.floor(i / cols) * cellH
      const zoneStyle = label.style === 'zone'
      const bg = zoneStyle ? 'rgba(16,58,104,0.92)' : label.style === 'slot' ? 'rgba(245,247,250,0.95)' : 'rgba(20,30,44,0.88)'
      roundRect(ctx, x + 6, y + 6, cellW - 12, cellH - 12, 18, bg, zoneStyle ? '#9fd2ff' : label.style === 'slot' ? '#2b3a4a' : '#6d8aa8', 4)
      ctx.textAlign = 'center'
      ctx.textBaseline = 'middle'
      if (label.style === 'slot') {
        ctx.font = font(78, 700)
        ctx.fillStyle = '#17222e'
        ctx.fillText(label.text[lang], x + cellW / 2, y + cellH / 2 + 2)
        return
      }
      fit(ctx, label.text[lang], cellW - 40, zoneStyle ? 50 : 44, 700)
      ctx.fillStyle = '#ffffff'
      ctx.fillText(label.text[lang], x + cellW / 2, y + cellH * 0.38)
      fit(ctx, label.text[other], cellW - 40, 30, 400)
      ctx.fillStyle = zoneStyle ? '#bfe1ff' : '#a9c3dc'
      ctx.fillText(label.text[other], x + cellW / 2, y + cellH * 0.75)
    })
  })
}

// Shrinks the font until the text fits the cell.
function fit(ctx: CanvasRenderingContext2D, text: string, maxWidth: number, size: number, weight: 400 | 700): void {
  let s = size
  ctx.font = font(s, weight)
  while (s > 14 && ctx.measureText(text).width > maxWidth) {
    s -= 2
    ctx.font = font(s, weight)
  }
}
