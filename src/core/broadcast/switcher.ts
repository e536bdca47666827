/**
 * The vision mixer: which camera is on air (programme), which is next (preview), and short
 * transitions between them. Like a hardware switcher, a cut is instant and a transition runs for a
 * set time; a new take during a transition finishes the running one first (the picture never jumps
 * back). Transitions are the ones a single rendered camera can do, so a transition costs no more
 * than a cut on the headset:
 *
 * - `cut`: the next frame shows the new camera;
 * - `dip`: fade to black, cut at the middle, fade up;
 * - `move`: the programme camera glides from the old shot to the new one (eased position, aim and
 *   zoom), like a camera on a jib.
 *
 * Time is passed in (`update(dtMs)`), so replays and re-shoots switch on the same frames.
 */
import { createEmitter } from '../store/store'
import { easeInOut } from './camera-rigs'

/** The transitions the switcher can run. */
export const TRANSITIONS = ['cut', 'dip', 'move'] as const

/** A transition kind. */
export type TransitionKind = (typeof TRANSITIONS)[number]

/** What the programme shows this frame (read by the renderer; updated in place). */
export interface SwitcherOutput {
  /** Index of the camera rendered (for `move`, the camera being left). */
  from: number
  /** Index of the camera the programme is going to (equal to `from` when no transition runs). */
  to: number
  /** Eased 0..1 progress of a `move` (0 outside a move). */
  blend: number
  /** Brightness 0..1 (below 1 during a dip). */
  brightness: number
  kind: TransitionKind
}

/** A switcher change, for events, recordings and the UI (never per frame). */
export interface SwitcherEvent {
  type: 'take' | 'preview' | 'done'
  programme: string
  preview: string
  transition: TransitionKind
}

/** Options of {@link createSwitcher}. */
export interface SwitcherOptions {
  /** Camera ids in switcher order. */
  cameras: readonly string[]
  /** Camera on air at start (default the first). */
  programme?: string
  /** Camera in preview at start (default the second, or the first). */
  preview?: string
  /** Default transition length, ms (default 600). */
  durationMs?: number
}

/** The switcher; see {@link createSwitcher}. */
export interface Switcher {
  readonly cameras: readonly string[]
  /** Id of the camera on air (the target of a running transition). */
  readonly programme: string
  readonly preview: string
  /** The running transition, or null. */
  readonly transition: { kind: TransitionKind; from: string; to: string; progress: number } | null
  /** Transitions started so far (cuts included). */
  readonly takes: number
  readonly output: SwitcherOutput
  /** Cuts to a camera at once. Returns false for an unknown id. */
  cut(id: string): boolean
  /** Takes a camera to air with a transition (default the switcher's duration); false for an unknown id. */
  take(id: string, kind?: TransitionKind, durationMs?: number): boolean
  /** Puts a camera in preview. */
  setPreview(id: string): boolean
  /** Takes the preview to air and puts the old programme in preview (the AUTO button). */
  auto(kind?: TransitionKind): boolean
  /** Advances a running transition; call once per frame. No allocation. */
  update(dtMs: number): void
  /** Called on takes, preview changes and finished transitions. Returns an unsubscribe function. */
  subscribe(listener: (event: SwitcherEvent) => void): () => void
}

/** Creates a switcher over a list of camera ids. */
export function createSwitcher(options: SwitcherOptions): Switcher {
  const cameras = options.cameras.slice()
  if (cameras.length === 0) throw new RangeError('a switcher needs at least one camera')
  if (new Set(cameras).size !== cameras.length) throw new RangeError('camera ids must be unique')
  const durationDefault = options.durationMs ?? 600
  if (!(durationDefault >= 0)) throw new RangeError(`durationMs must be >= 0, got ${durationDefault}`)
  const indexOf = (id: string | undefined) => (id === undefined ? -1 : cameras.indexOf(id))
  let programme = indexOf(options.programme)
  if (programme < 0) programme = 0
  let preview = indexOf(options.preview)
  if (preview < 0) preview = cameras.length > 1 ? (programme + 1) % cameras.length : 0
  let from = programme
  let kind: TransitionKind = 'cut'
  let durationMs = 0
  let elapsedMs = 0
  let running = false
  let takes = 0
  // Events, not state: a 'take' and its 'done' may carry the same cameras and both are told.
  const events = createEmitter<SwitcherEvent>()
  const output: SwitcherOutput = { from: programme, to: programme, blend: 0, brightness: 1, kind: 'cut' }

  function emit(type: SwitcherEvent['type']): void {
    if (events.listenerCount() === 0) return
    events.emit({ type, programme: cameras[programme], preview: cameras[preview], transition: kind })
  }

  function writeOutput(): void {
    output.kind = kind
    output.to = programme
    if (!running) {
      output.from = programme
      output.blend = 0
      output.brightness = 1
      return
    }
    const p = durationMs > 0 ? elapsedMs / durationMs : 1
    if (kind === 'dip') {
      // Down to black over the first half on the old camera, up from black on the new one.
      output.from = p < 0.5 ? from : programme
      output.blend = 0
      output.brightness = p < 0.5 ? 1 - easeInOut(p * 2) : easeInOut(p * 2 - 1)
    } else {
      output.from = from
      output.blend = easeInOut(p)
      output.brightness = 1
    }
  }

  function finish(): void {
    if (!running) return
    running = false
    from = programme
    writeOutput()
    emit('done')
  }

  function take(id: string, k: TransitionKind = 'dip', ms = durationDefault): boolean {
    const i = indexOf(id)
    if (i < 0) return false
    if (!(ms >= 0)) throw new RangeError(`durationMs must be >= 0, got ${ms}`)
    // A take during a transition lands the running one first: the picture never goes backwards.
    finish()
    if (i === programme) return true
    takes++
    from = programme
    programme = i
    kind = k
    durationMs = k === 'cut' ? 0 : ms
    elapsedMs = 0
    running = durationMs > 0
    writeOutput()
    emit('take')
    if (!running) emit('done')
    return true
  }

  return {
    cameras,
    get programme() {
      return cameras[programme]
    },
    get preview() {
      return cameras[preview]
    },
    get transition() {
      return running ? { kind, from: cameras[from], to: cameras[programme], progress: durationMs > 0 ? elapsedMs / durationMs : 1 } : null
    },
    get takes() {
      return takes
    },
    output,
    cut: (id) => take(id, 'cut', 0),
    take,
    setPreview(id) {
      const i = indexOf(id)
      if (i < 0) return false
      if (i !== preview) {
        preview = i
        emit('preview')
      }
      return true
    },
    auto(k = 'dip') {
      const next = cameras[preview]
      const old = programme
      if (!take(next, k)) return false
      preview = old
      emit('preview')
      return true
    },
    update(dtMs) {
      if (!running || !(dtMs > 0)) return
      elapsedMs += dtMs
      if (elapsedMs >= durationMs) finish()
      else writeOutput()
    },
    subscribe: events.subscribe,
  }
}
