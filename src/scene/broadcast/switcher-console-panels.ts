import type { Language } from '../../core/app/options'
import { bt } from '../../core/broadcast/broadcast-strings'
import type { CameraSpec } from '../../core/broadcast/camera-rigs'
import { LIVE_STATE_STRINGS } from '../../core/broadcast/live-strings'
import type { TransitionKind } from '../../core/broadcast/switcher'
import type { WhipState } from '../../core/broadcast/whip-client'
import type { AtlasPanel } from '../components/text-panel-atlas'

/** Width of a camera tile on the console, m (16:9). */
export const TILE_W = 0.2
/** Height of a camera tile, m. */
export const TILE_H = TILE_W * (9 / 16)
/** Centre-to-centre step between camera tiles, m. */
export const TILE_STEP = TILE_W + 0.02
/** Height of the tiles' centres above the console's origin, m. */
export const TILE_Y = 0.09

/** The transitions, in the console's order. */
export const TRANSITIONS: readonly TransitionKind[] = ['cut', 'dip', 'move']

const LIVE_RED = 'rgba(216,40,60,0.95)'
const IDLE = 'rgba(20,32,58,0.92)'

/** What the console shows: the switcher's state, the recorder's label and the WHIP state. */
export interface SwitcherConsoleState {
  cameras: readonly Pick<CameraSpec, 'id' | 'label'>[]
  onAir: string
  inPreview: string
  transition: TransitionKind
  /** The Record button's text (countdown, running time…), already in `lang`. */
  recordLabel: string
  /** True while a take is being recorded (the button turns red). */
  recording: boolean
  liveState: WhipState
  lang: Language
}

/** What the console's buttons do. */
export interface SwitcherConsoleActions {
  take(cameraId: string): void
  setTransition(kind: TransitionKind): void
  toggleRecord(): void
}

/** X of camera tile `i` of `n`, centred on the console. */
export function tileX(i: number, n: number): number {
  return -((n - 1) * TILE_STEP) / 2 + i * TILE_STEP
}

/**
 * Every flat part of the in-world switcher console as panels of ONE text atlas (one texture, one
 * material, one draw call): the backing plate and each tile's frame (red on air, green in preview)
 * as plain cells, then the camera labels, the transitions, Record and the WHIP state. Before, each
 * was a mesh with its own material (and texture), 21 draws with the tiles; now the tiles (each its
 * own preview texture) and this atlas are 6. Order is draw order inside the one mesh: the plate
 * and frames first, so text drawn later blends over them.
 */
export function createSwitcherConsolePanels(state: SwitcherConsoleState, actions: SwitcherConsoleActions): AtlasPanel[] {
  const { cameras, onAir, inPreview, transition, lang } = state
  const n = cameras.length
  const x0 = tileX(0, n)
  const panels: AtlasPanel[] = [
    {
      name: 'switcher-backing',
      plain: true,
      lines: [],
      width: n * TILE_STEP + 0.04,
      height: 0.42,
      position: [0, 0.02, -0.005],
      background: 'rgba(11,16,32,0.85)',
    },
  ]
  cameras.forEach((c, i) => {
    const live = c.id === onAir
    const next = c.id === inPreview
    panels.push({
      name: `switcher-frame-${c.id}`,
      plain: true,
      lines: [],
      width: TILE_W + 0.012,
      height: TILE_H + 0.012,
      position: [tileX(i, n), TILE_Y, -0.001],
      background: live ? '#ff2a3a' : next ? '#38d26a' : '#2a3550',
    })
  })
  cameras.forEach((c, i) => {
    panels.push({
      name: `switcher-label-${c.id}`,
      lines: [{ text: `F${i + 1} ${c.label[lang]}`, size: 30 }],
      width: TILE_W,
      height: 0.045,
      position: [tileX(i, n), TILE_Y - TILE_H / 2 - 0.03, 0],
      background: c.id === onAir ? LIVE_RED : IDLE,
      align: 'center',
      onClick: () => actions.take(c.id),
    })
  })
  TRANSITIONS.forEach((k, i) => {
    panels.push({
      name: `switcher-transition-${k}`,
      lines: [{ text: bt(k, lang), size: 30 }],
      width: 0.14,
      height: 0.06,
      position: [x0 + i * 0.15 + 0.02, -0.1, 0],
      background: transition === k ? 'rgba(255,95,162,0.9)' : IDLE,
      border: '#4fc3ff',
      align: 'center',
      onClick: () => actions.setTransition(k),
    })
  })
  panels.push({
    name: 'switcher-record',
    lines: [{ text: state.recordLabel, size: 30 }],
    width: 0.3,
    height: 0.06,
    position: [-x0 - 0.13, -0.1, 0],
    background: state.recording ? LIVE_RED : 'rgba(120,16,32,0.92)',
    border: '#ff6b7b',
    align: 'center',
    onClick: () => actions.toggleRecord(),
  })
  // WHIP state for the wearer: red while live, amber while connecting or reconnecting, dark red when failed.
  const live = state.liveState
  panels.push({
    name: 'switcher-live',
    lines: [{ text: `WHIP · ${LIVE_STATE_STRINGS[live][lang]}`, size: 28 }],
    width: 0.3,
    height: 0.05,
    position: [-x0 - 0.13, -0.17, 0],
    background: live === 'live' ? LIVE_RED : live === 'off' ? IDLE : live === 'failed' ? 'rgba(107,16,32,0.95)' : 'rgba(190,120,20,0.92)',
    align: 'center',
  })
  return panels
}
