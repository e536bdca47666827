import type { Bilingual } from '../i18n/strings'
import type { ModuleLayout, ZoneId } from './module-layout'

/**
 * Draw distance in the Tianhe module, by zone (the 'tianhe-draw-distance' quality lever). The
 * module's geometry is one mesh per (zone × material); this decides which zones are drawn for the
 * zone the visitor's head is in and the lever's level, and which hatch caps close the openings
 * into hidden zones. Pure and allocation-free after creation: the scene calls
 * {@link updateDrawDistance} every frame and re-applies visibility only when it reports a change.
 *
 * Levels (0 lowest … {@link DRAW_DISTANCE_MAX_LEVEL} full):
 * - 2: every zone (and the outside);
 * - 1: the visitor's zone and its neighbours along the axis;
 * - 0: the visitor's zone only.
 * A drawn zone whose neighbour is hidden shows its cap at that boundary (a closed hatch disc), so
 * a hidden zone never shows a hole into space. The outside (hull, solar wings, arm) is drawn at
 * full level, in the outside view, and whenever a zone it can be seen from (the window's) is drawn.
 * In the outside view the interior is hidden below full level: the hull covers all of it.
 * The drawn zones are always one contiguous run along the axis (`first`..`last`), so a mesh
 * whose items are sorted fore → aft can draw just that run with one draw range.
 */

/** Top level of the lever: every zone drawn. */
export const DRAW_DISTANCE_MAX_LEVEL = 2

/** The lever's label (HUD, diagnostics). */
export const DRAW_DISTANCE_LABEL: Bilingual = { zh: '舱段绘制距离', en: 'Module draw distance (zones)' }

/** One cap: the disc that closes `zone`'s opening toward `toward` (faces into `zone`). */
export interface ZoneCap {
  /** Index (in {@link DrawDistance.zones}) of the zone the cap belongs to and faces into. */
  readonly zone: number
  /** Index of the neighbour it closes off. */
  readonly toward: number
  /** Axial position of the boundary (m). */
  readonly z: number
  /** +1: the cap faces fore (+z, the zone lies fore of the boundary); −1: it faces aft. */
  readonly facing: 1 | -1
}

/** Which zones, caps and the outside are drawn now (mutated in place by {@link updateDrawDistance}). */
export interface DrawDistance {
  /** The pressurised zones, fore → aft (the ones with an interior to draw). */
  readonly zones: readonly ZoneId[]
  /** Two caps per boundary between neighbouring zones (one facing each way). */
  readonly caps: readonly ZoneCap[]
  /** Zones from which the outside can be seen (through the window). */
  readonly outsideSeenFrom: readonly number[]
  /** Per zone: drawn now. */
  readonly zoneDrawn: boolean[]
  /** Per cap: drawn now. */
  readonly capDrawn: boolean[]
  /** The outside (exterior hull, arm) drawn now. */
  outside: boolean
  /** First and last drawn zone index (−1, −1 when none: the outside view below full level). */
  first: number
  last: number
  /** Level and visitor zone the flags were computed for. */
  level: number
  visitorZone: string
  /** Bumped on every change of a flag (consumers compare it to what they applied). */
  version: number
}

/** Options of {@link createDrawDistance}. */
export interface DrawDistanceOptions {
  /** Zones through whose openings (the Earth window) the outside is seen. */
  outsideSeenFrom?: readonly ZoneId[]
}

/** Creates the state for a layout, at full level with every zone drawn. */
export function createDrawDistance(layout: ModuleLayout, options: DrawDistanceOptions = {}): DrawDistance {
  // Fore → aft: the highest zMax first (the module runs along −Z).
  const ordered = layout.zones.filter((z) => z.pressurised).sort((a, b) => b.zRange[1] - a.zRange[1])
  const zones = ordered.map((z) => z.id)
  const caps: ZoneCap[] = []
  for (let i = 0; i + 1 < ordered.length; i++) {
    const z = ordered[i].zRange[0]
    caps.push({ zone: i, toward: i + 1, z, facing: 1 }, { zone: i + 1, toward: i, z, facing: -1 })
  }
  const outsideSeenFrom = (options.outsideSeenFrom ?? []).map((id) => {
    const i = zones.indexOf(id)
    if (i < 0) throw new Error(`Tianhe draw distance: '${id}' is not a pressurised zone of the layout`)
    return i
  })
  return {
    zones,
    caps,
    outsideSeenFrom,
    zoneDrawn: zones.map(() => true),
    capDrawn: caps.map(() => false),
    outside: true,
    first: 0,
    last: zones.length - 1,
    level: DRAW_DISTANCE_MAX_LEVEL,
    visitorZone: '',
    version: 0,
  }
}

/**
 * Recomputes the flags for the visitor's zone (`'resource-cabin'` or any id that is not a
 * pressurised zone means the outside view) and the level. Returns true when a flag changed (and
 * bumps `version`); cheap and allocation-free when nothing changed.
 */
export function updateDrawDistance(state: DrawDistance, visitorZone: string, level: number): boolean {
  if (visitorZone === state.visitorZone && level === state.level) return false
  state.visitorZone = visitorZone
  state.level = level
  const n = state.zones.length
  const at = state.zones.indexOf(visitorZone as ZoneId)
  const full = level >= DRAW_DISTANCE_MAX_LEVEL
  // Outside the hull below full level: nothing inside can be seen.
  const reach = full ? n : at < 0 ? -1 : level >= 1 ? 1 : 0
  let first = -1
  let last = -1
  let changed = false
  for (let i = 0; i < n; i++) {
    const drawn = full || (reach >= 0 && Math.abs(i - at) <= reach)
    if (drawn) {
      if (first < 0) first = i
      last = i
    }
    if (state.zoneDrawn[i] !== drawn) {
      state.zoneDrawn[i] = drawn
      changed = true
    }
  }
  state.first = first
  state.last = last
  for (let c = 0; c < state.caps.length; c++) {
    const cap = state.caps[c]
    const drawn = state.zoneDrawn[cap.zone] && !state.zoneDrawn[cap.toward]
    if (state.capDrawn[c] !== drawn) {
      state.capDrawn[c] = drawn
      changed = true
    }
  }
  let outside = full || at < 0
  for (let k = 0; k < state.outsideSeenFrom.length && !outside; k++) outside = state.zoneDrawn[state.outsideSeenFrom[k]]
  if (state.outside !== outside) {
    state.outside = outside
    changed = true
  }
  if (changed) state.version++
  return changed
}

/**
 * Items (instances, quads) sorted fore → aft by zone: `starts[i]` is the first item of zone i and
 * `starts[zones.length]` the count. Returns the [start, end) run of the drawn zones (writes `out`).
 */
export function drawnItemRange(state: DrawDistance, starts: readonly number[], out: [number, number]): [number, number] {
  if (state.first < 0) {
    out[0] = 0
    out[1] = 0
  } else {
    out[0] = starts[state.first]
    out[1] = starts[state.last + 1]
  }
  return out
}

/** True when any of the zones (indices) is drawn: for an object that spans several zones. */
export function anyZoneDrawn(state: DrawDistance, zones: readonly number[]): boolean {
  for (let k = 0; k < zones.length; k++) if (state.zoneDrawn[zones[k]]) return true
  return false
}

/** Index (in `state.zones`) of the zone holding axial position z; ends clamp to the first/last zone. */
export function zoneIndexAt(layout: ModuleLayout, state: DrawDistance, z: number): number {
  for (let i = 0; i < state.zones.length; i++) {
    const zone = layout.zones.find((x) => x.id === state.zones[i])!
    if (z >= zone.zRange[0]) return i
  }
  return state.zones.length - 1
}
