import { Quaternion, Vector3 } from 'three'
import type { Bilingual } from '../../core/i18n/strings'
import type { JsonValue } from '../../core/replay/recording-format'
import { captureState, restoreState } from '../../core/replay/state-capture'
import {
  DEFAULT_COMFORT,
  ITEM_IDS,
  TIANHE_LAYOUT,
  createAutopilot,
  createDrawDistance,
  createFloatBody,
  createItemLocation,
  createLooseItems,
  createProcedureRunner,
  createTianheTasks,
  createTianheWorld,
  performTianheAction,
  type Autopilot,
  type ComfortSettings,
  type DispatchAction,
  type DrawDistance,
  type DispatchResult,
  type FloatBody,
  type ItemLocation,
  type LightingSceneId,
  type LooseItem,
  type LooseItems,
  type ModuleLayout,
  type ProcedureEvent,
  type ProcedureRunner,
  type RunnerSave,
  type TianheWorld,
} from '../../core/tianhe'
import { windowZone } from './module-geometry'

/**
 * Everything the Tianhe experience simulates, in one plain object created once per visit: the
 * core world and procedure runner, the float body (the player rig), the loose items, the comfort
 * settings, the lighting scene and the per-hand runtime state. Per-frame systems mutate it in
 * place; the UI reads it. `version` goes up whenever something the panels show changes, so they
 * redraw on change rather than every frame.
 */

/** Which way the hand is used. */
export type HandSide = 'left' | 'right'

/** Per-hand input, tracking space (read each frame by the input system). */
export interface HandInputState {
  /** Pose data is valid this frame. */
  valid: boolean
  readonly grip: Vector3
  readonly gripQuat: Quaternion
  readonly rayOrigin: Vector3
  readonly rayDir: Vector3
  trigger: boolean
  squeeze: boolean
  stickX: number
  stickY: number
  /** Primary button (A/X): toggles the tablet. */
  buttonA: boolean
}

/** Per-hand runtime state (module space and what the hand holds). */
export interface HandRuntime {
  /** Hand (grip) position in module space this frame, and last frame (for throw velocity). */
  readonly world: Vector3
  readonly prevWorld: Vector3
  /** Smoothed hand velocity in module space (m/s). */
  readonly velocity: Vector3
  readonly rayOriginWorld: Vector3
  readonly rayDirWorld: Vector3
  /** Edge detection. */
  wasSqueeze: boolean
  wasTrigger: boolean
  wasA: boolean
  /** What the closed hand holds: a handrail (locomotion), a task item, a joystick, or nothing. */
  holding: 'none' | 'rail' | 'item' | 'joystick' | 'fixture'
  /** Item id when holding an item. */
  item: string | null
  /** Joystick fixture id when holding a workstation stick; the grab point for its deflection. */
  joystick: string | null
  readonly joystickAnchor: Vector3
}

/** The visitor's input this frame (tracking space). */
export interface InputState {
  presenting: boolean
  readonly head: Vector3
  readonly headQuat: Quaternion
  readonly left: HandInputState
  readonly right: HandInputState
  /** Desktop: thrust direction in view space (x right, y up, z back) from the keys. */
  readonly keys: Vector3
  /** Desktop look (rad): pitch only; yaw lives in the body. */
  pitch: number
}

/** A bilingual status line for the tablet ("Wrong slot: …"). */
export interface StatusLine {
  text: Bilingual
  tone: 'info' | 'good' | 'bad'
}

/** Loose-item kinds, for meshes and labels. */
export type ItemKind = 'bag' | 'cartridge' | 'tool' | 'ball'

/** One loose item's static description. */
export interface ItemInfo {
  id: string
  kind: ItemKind
  label: Bilingual
  color: string
  /** Box size (m) for bags, cartridges and tools. */
  size: [number, number, number]
}

/** Loose tools that float about (not part of any task: things to grab and throw). */
const TOOLS: ItemInfo[] = [
  { id: 'tool-wrench', kind: 'tool', label: { zh: '扳手', en: 'Wrench' }, color: '#8d99a6', size: [0.26, 0.04, 0.06] },
  { id: 'tool-tablet', kind: 'tool', label: { zh: '平板电脑', en: 'Tablet' }, color: '#2b3440', size: [0.24, 0.17, 0.02] },
  { id: 'tool-camera', kind: 'tool', label: { zh: '相机', en: 'Camera' }, color: '#1f1f22', size: [0.14, 0.1, 0.09] },
]

const BAG_COLORS = ['#e8e2cf', '#d9dfe6', '#e6d6c3', '#d6e2d2']

/**
 * Tianhe together (issue 18): the crew this visitor shares the module with, set by `TianheCrew`
 * while online in a shared Tianhe, null alone (offline, a replay, a benchmark). The controls ask
 * it before taking a task item and tell it what the hands take and let go of.
 */
export interface CrewLink {
  /** The crew member holding `item` when it is someone else (their name), else null. */
  heldByOther(item: string): { name: string } | null
  /** This visitor took a task item in `hand` (the server grants the lock, or refuses it). */
  took(item: string, hand: HandSide): void
  /**
   * This visitor let go of a task item: `released` is the loose item when it was let go floating
   * (its state goes to the crew, who drift it the same way), null when it was put somewhere.
   */
  letGo(item: string, hand: HandSide, released: LooseItem | null): void
  /** Where the crew member holding `item` holds it now (module space); false when nobody else does or their hand is not seen. */
  heldPose(item: string, position: Vector3, quaternion: Quaternion): boolean
}

/** The session. */
export interface TianheSession {
  readonly layout: ModuleLayout
  readonly world: TianheWorld
  /** The procedure runner (replaced, with its progress carried over, when the workout length changes). */
  runner: ProcedureRunner<TianheWorld>
  /** Treadmill run length (s) for the exercise task. */
  treadmillSeconds: number
  readonly body: FloatBody
  readonly autopilot: Autopilot
  readonly items: LooseItems
  readonly itemInfo: readonly ItemInfo[]
  readonly comfort: ComfortSettings
  lighting: LightingSceneId
  /** Simulated time (ms): the runner's clock. */
  simTimeMs: number
  /** 'exterior': the outside view (no collision; the resource cabin and arm are seen). */
  view: 'inside' | 'exterior'
  readonly input: InputState
  readonly hands: { readonly left: HandRuntime; readonly right: HandRuntime }
  /** The head in module space this frame. */
  readonly headWorld: Vector3
  /** Tablet shown, and its page. */
  tabletOpen: boolean
  /** Where the tablet floats (tracking space), set when it is (re)opened or the session starts. */
  readonly tabletPose: { placed: boolean; wasPresenting: boolean; readonly position: Vector3; readonly quaternion: Quaternion }
  /** Input latches of the controls: snap turn armed, hand tucked in (per hand). */
  readonly latches: { snapArmed: { left: boolean; right: boolean }; handTucked: { left: boolean; right: boolean } }
  tabletPage: 'tasks' | 'procedure' | 'comfort'
  /** Last status line (result of the last action). */
  status: StatusLine | null
  /** Hint text shown for the current step (after the hint button). */
  hint: Bilingual | null
  /** Bumped when the panels need a redraw. */
  version: number
  /** What the last trigger or grip press met (for diagnostics): gesture, target kind and id. */
  readonly lastPick: { gesture: string; kind: string; id: string; distance: number }
  /** Actions performed since the visit began. */
  actionCount: number
  /** Action log (most recent last, bounded), for diagnostics and tests. */
  readonly actions: { action: DispatchAction; outcome: DispatchResult['outcome']; code?: string }[]
  /** Scratch location for per-frame item lookups. */
  readonly location: ItemLocation
  /** Switches between the cabin and the outside view (set by the rig). */
  toggleView: (() => void) | null
  /** Zone of the head this frame, and the comfort vignette strength shown. */
  zone: string
  /** Which zones are drawn for that zone and the 'tianhe-draw-distance' level (see module-meshes.tsx). */
  readonly drawDistance: DrawDistance
  vignette: number
  /** Centres of the tablet's buttons in tracking space (set by the tablet; for diagnostics and tests). */
  tabletButtons: (() => Record<string, [number, number, number]>) | null
  /** The shared crew, or null when alone (see {@link CrewLink}). */
  crew: CrewLink | null
}

const START_HEAD = new Vector3(0, 0, -0.9)
/** Workout lengths the tablet offers (s): a short demo, a minute, and a real session's ten minutes. */
export const WORKOUT_LENGTHS_S = [15, 60, 600] as const
const DEFAULT_WORKOUT_S = 60
/** Eye height of the tracking origin (local-floor) used to place the rig under the head. */
export const STANDING_EYE_HEIGHT = 1.6
/** Extra lift of the origin in seated mode (a seated head is about this much lower). */
export const SEATED_LIFT = 0.45

function handInput(): HandInputState {
  return { valid: false, grip: new Vector3(), gripQuat: new Quaternion(), rayOrigin: new Vector3(), rayDir: new Vector3(0, 0, -1), trigger: false, squeeze: false, stickX: 0, stickY: 0, buttonA: false }
}

function handRuntime(): HandRuntime {
  return {
    world: new Vector3(),
    prevWorld: new Vector3(),
    velocity: new Vector3(),
    rayOriginWorld: new Vector3(),
    rayDirWorld: new Vector3(),
    wasSqueeze: false,
    wasTrigger: false,
    wasA: false,
    holding: 'none',
    item: null,
    joystick: null,
    joystickAnchor: new Vector3(),
  }
}

/** Creates the session for one visit (seeded: the same seed gives the same readings). */
export function createTianheSession(seed = 2021): TianheSession {
  const world = createTianheWorld({ seed })
  // Loose items: the four cargo bags, both cartridges, the ping-pong ball and a few tools drifting
  // in the large column (deterministic start drift, so every visit starts the same).
  const bags = Object.keys(world.stowageList)
  const info: ItemInfo[] = [
    ...bags.map((id, i): ItemInfo => ({ id, kind: 'bag', label: { zh: `货包 ${id.slice(4)}`, en: `Bag ${id.slice(4)}` }, color: BAG_COLORS[i % BAG_COLORS.length], size: [0.34, 0.24, 0.26] })),
    { id: ITEM_IDS.oldCartridge, kind: 'cartridge', label: { zh: '旧滤芯', en: 'Old filter' }, color: '#8a7a5c', size: [0.26, 0.12, 0.12] },
    { id: ITEM_IDS.newCartridge, kind: 'cartridge', label: { zh: '新滤芯', en: 'New filter' }, color: '#f2f5f7', size: [0.26, 0.12, 0.12] },
    ...TOOLS,
    { id: ITEM_IDS.pingPongBall, kind: 'ball', label: { zh: '乒乓球', en: 'Ping-pong ball' }, color: '#ffffff', size: [0.04, 0.04, 0.04] },
  ]
  const items = createLooseItems(
    info.map((it, i) => {
      const radius = it.kind === 'ball' ? 0.02 : Math.hypot(...it.size) / 2.4
      if (it.kind !== 'tool') return { id: it.id, radius, mass: it.kind === 'bag' ? 8 : it.kind === 'cartridge' ? 2 : 0.003 }
      // Tools drift slowly about the work area.
      const a = i * 2.1
      return {
        id: it.id,
        radius,
        mass: 0.5,
        position: { x: 0.45 * Math.sin(a), y: 0.3 * Math.cos(a), z: -9.4 - 0.5 * (i % 3) },
        velocity: { x: 0.03 * Math.cos(a), y: 0.02 * Math.sin(a), z: -0.02 },
        spin: { x: 0.2, y: 0.35 * ((i % 2) * 2 - 1), z: 0.1 },
      }
    }),
  )
  const session: TianheSession = {
    layout: TIANHE_LAYOUT,
    world,
    // The runner's clock is simulated time, so a replay scores the same as the live run.
    runner: createProcedureRunner(createTianheTasks({ treadmillSeconds: DEFAULT_WORKOUT_S }), { clockMs: () => session.simTimeMs, world: () => world }),
    treadmillSeconds: DEFAULT_WORKOUT_S,
    body: createFloatBody({ maxSpeed: DEFAULT_COMFORT.maxSpeed }, { x: START_HEAD.x, y: START_HEAD.y - STANDING_EYE_HEIGHT, z: START_HEAD.z }, 0),
    autopilot: createAutopilot(),
    items,
    itemInfo: info,
    comfort: { ...DEFAULT_COMFORT },
    lighting: 'work',
    simTimeMs: 0,
    view: 'inside',
    input: { presenting: false, head: new Vector3(0, STANDING_EYE_HEIGHT, 0), headQuat: new Quaternion(), left: handInput(), right: handInput(), keys: new Vector3(), pitch: 0 },
    hands: { left: handRuntime(), right: handRuntime() },
    headWorld: START_HEAD.clone(),
    tabletOpen: true,
    tabletPose: { placed: false, wasPresenting: false, position: new Vector3(), quaternion: new Quaternion() },
    latches: { snapArmed: { left: true, right: true }, handTucked: { left: true, right: true } },
    tabletPage: 'tasks',
    status: null,
    hint: null,
    version: 1,
    actions: [],
    actionCount: 0,
    lastPick: { gesture: '', kind: 'none', id: '', distance: 0 },
    location: createItemLocation(),
    toggleView: null,
    zone: 'node-cabin',
    drawDistance: createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: [windowZone(TIANHE_LAYOUT)] }),
    vignette: 0,
    tabletButtons: null,
    crew: null,
  }
  session.runner.on((event: ProcedureEvent) => onRunnerEvent(session, event))
  return session
}

const RESULT_TEXT: Record<string, Bilingual> = {
  advanced: { zh: '完成这一步。', en: 'Step done.' },
  completed: { zh: '任务完成！', en: 'Task complete!' },
  rejected: { zh: '还不行：先完成前面的准备。', en: 'Not yet: finish the preparation first.' },
  waiting: { zh: '正确，等待条件满足……', en: 'Right; waiting for it to settle…' },
}

const MISTAKE_TEXT: Record<string, Bilingual> = {
  'wrong-fixture': { zh: '位置不对：看看高亮的目标。', en: 'Wrong place: look for the highlighted target.' },
  'wrong-action': { zh: '操作方式不对：看看步骤说明。', en: 'Wrong action: check the step text.' },
  'wrong-item': { zh: '拿错了物品。', en: 'That is the wrong item.' },
  'wrong-value': { zh: '读数不对，请再核对一次。', en: 'That value is not right; check the gauge again.' },
  'verify-failed': { zh: '检查未通过。', en: 'The check did not pass.' },
  timeout: { zh: '超时。', en: 'Out of time.' },
}

function onRunnerEvent(session: TianheSession, event: ProcedureEvent): void {
  if (event.type === 'step-started' || event.type === 'task-started') session.hint = null
  if (event.type === 'task-completed') {
    session.status = { text: RESULT_TEXT.completed, tone: 'good' }
    session.tabletPage = 'tasks'
  }
  if (event.type === 'task-failed') session.status = { text: { zh: '任务失败。', en: 'Task failed.' }, tone: 'bad' }
  if (event.type === 'step-completed' && event.taskId) session.status = { text: RESULT_TEXT.advanced, tone: 'good' }
  session.version++
}

/**
 * The scene's one door to the tasks: applies the action to the world and lets the runner judge
 * it (core `performTianheAction`), records it and updates the status line.
 */
export function performAction(session: TianheSession, action: DispatchAction): DispatchResult {
  const result = performTianheAction(session.world, session.runner, action)
  session.actions.push({ action, outcome: result.outcome, code: result.code })
  session.actionCount++
  if (session.actions.length > 200) session.actions.shift()
  if (result.outcome === 'mistake') session.status = { text: MISTAKE_TEXT[result.code ?? 'wrong-action'] ?? MISTAKE_TEXT['wrong-action'], tone: 'bad' }
  else if (result.outcome === 'rejected' || result.outcome === 'waiting') session.status = { text: RESULT_TEXT[result.outcome], tone: 'info' }
  session.version++
  return result
}

/** Starts a task from the task list (aborting another active one first). */
export function startTask(session: TianheSession, taskId: string): void {
  const active = session.runner.activeTaskId()
  if (active && active !== taskId) session.runner.abort()
  session.runner.start(taskId)
  session.tabletPage = 'procedure'
  session.status = null
  session.version++
}

/**
 * Sets the treadmill run length. The tasks are data built once, so this builds them again and
 * hands the runner's saved progress to a new runner (same task and step ids; only the run length
 * differs). Refused while the treadmill task is running, so a workout cannot be shortened midway.
 */
export function setWorkoutLength(session: TianheSession, seconds: number): boolean {
  if (session.runner.activeTaskId() === 'treadmill-exercise' || seconds === session.treadmillSeconds) return false
  const save = session.runner.serialize()
  const runner = createProcedureRunner(createTianheTasks({ treadmillSeconds: seconds }), { clockMs: () => session.simTimeMs, world: () => session.world })
  runner.restore(save)
  runner.on((event: ProcedureEvent) => onRunnerEvent(session, event))
  session.runner = runner
  session.treadmillSeconds = seconds
  session.version++
  return true
}

/** Item info by id. */
export function itemInfo(session: TianheSession, id: string): ItemInfo | undefined {
  return session.itemInfo.find((i) => i.id === id)
}

/** Event type of the session state a take starts from (see {@link captureTianheSession}). */
export const TIANHE_STATE_EVENT = 'tianhe-state'

/**
 * Everything that evolves in a visit, as JSON: simulated time, the world, the procedure runner's
 * save, the body and its glide, the loose items, the hands, comfort, lighting, view and the tablet.
 * Recorded as an event when a take starts, so a replay (which mounts a fresh session) goes on from
 * where the take began: the drift of the cabin values and the loose tools, tasks already done.
 * Static data (layout, item descriptions) and per-frame input are left out.
 */
export function captureTianheSession(session: TianheSession): JsonValue {
  const s = session
  return {
    simTimeMs: s.simTimeMs,
    treadmillSeconds: s.treadmillSeconds,
    runner: s.runner.serialize() as unknown as JsonValue,
    state: captureState({
      world: s.world,
      body: s.body,
      autopilot: s.autopilot,
      items: s.items,
      hands: s.hands,
      headWorld: s.headWorld,
      comfort: s.comfort,
      latches: s.latches,
      tabletPose: s.tabletPose,
      misc: {
        lighting: s.lighting,
        view: s.view,
        tabletOpen: s.tabletOpen,
        tabletPage: s.tabletPage,
        status: s.status,
        hint: s.hint,
        actionCount: s.actionCount,
        zone: s.zone,
        vignette: s.vignette,
        pitch: s.input.pitch,
      },
    }),
  }
}

/** Writes a {@link captureTianheSession} capture back into `session` (in place). */
export function restoreTianheSession(session: TianheSession, data: JsonValue): void {
  const d = data as { simTimeMs: number; treadmillSeconds: number; runner: unknown; state: JsonValue }
  session.simTimeMs = d.simTimeMs
  if (d.treadmillSeconds !== session.treadmillSeconds) {
    // The run length is part of the task data: rebuild the runner for it (its save follows).
    const runner = createProcedureRunner(createTianheTasks({ treadmillSeconds: d.treadmillSeconds }), { clockMs: () => session.simTimeMs, world: () => session.world })
    runner.on((event: ProcedureEvent) => onRunnerEvent(session, event))
    session.runner = runner
    session.treadmillSeconds = d.treadmillSeconds
  }
  session.runner.restore(d.runner as RunnerSave)
  const misc = { lighting: session.lighting, view: session.view, tabletOpen: session.tabletOpen, tabletPage: session.tabletPage, status: session.status, hint: session.hint, actionCount: 0, zone: '', vignette: 0, pitch: 0 }
  restoreState({ world: session.world, body: session.body, autopilot: session.autopilot, items: session.items, hands: session.hands, headWorld: session.headWorld, comfort: session.comfort, latches: session.latches, tabletPose: session.tabletPose, misc }, d.state)
  session.lighting = misc.lighting
  session.view = misc.view
  session.tabletOpen = misc.tabletOpen
  session.tabletPage = misc.tabletPage
  session.status = misc.status
  session.hint = misc.hint
  session.actionCount = misc.actionCount
  session.zone = misc.zone
  session.vignette = misc.vignette
  session.input.pitch = misc.pitch
  session.version++
}
