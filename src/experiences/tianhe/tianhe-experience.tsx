import { useEffect, useMemo } from 'react'
import { Matrix4, Quaternion, Vector3 } from 'three'
import { getFixture, panelChoices, tianheWorldSnapshot, type TaskSnapshot } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { TianheGuide } from './tianhe-guide'
import { BackToHub } from '../../scene/components/back-to-hub'
import { StarField } from '../../scene/components/star-field'
import { useLang } from '../../scene/use-lang'
import { useControllerModels } from '../../scene/xr/use-controller-models'
import { hitBoxMatrix, interactiveFixtureIds } from './fixture-poses'
import { ModuleMeshes } from './module-meshes'
import { OrbitEarth } from './orbit-earth'
import { currentTarget, TABLET_M } from './tablet'
import { toTracking, type PickTargets } from './tianhe-controls'
import { Fixtures, Highlight, Items, Labels, OutsideOnly, RobotArm, Screens, Tablet, Vignette } from './tianhe-objects'
import { TianheCrew } from './tianhe-crew'
import { TianheRig, createRenderStats, type RenderStats } from './tianhe-rig'
import { createTianheSession, type TianheSession } from './tianhe-session'

/**
 * Tianhe core module (天和核心舱) at true scale: node cabin with its five ports and the EVA hatch,
 * the small column (sleeping quarters, toilet, galley), the large column (consoles, arm
 * workstation, racks, treadmill, ergometer), the aft passage to Tianzhou and, outside, the
 * resource cabin, solar wings and robotic arm, with Earth through the window. Built in code from
 * the core layout; the visitor moves hand over hand on the rails and does the core's tasks with
 * the crew tablet's procedure viewer.
 */
export default function TianheExperience() {
  const lang = useLang()
  const { diagnostics, navigate } = useLingjing()
  const session = useMemo(() => createTianheSession(), [])
  const targets = useMemo<PickTargets>(() => ({ proxies: null, proxyIds: [], items: [], tablet: null, onTablet: null, guide: null }), [])
  const stats = useMemo<RenderStats>(() => createRenderStats([...session.layout.zones.map((z) => z.id)]), [session])
  const zoneLabel = useMemo(() => {
    const names = new Map(session.layout.zones.map((z) => [z.id as string, z.label[lang]]))
    return (id: string) => names.get(id) ?? ''
  }, [lang, session])

  useEffect(() => {
    const offTasks = diagnostics.setSection('tasks', () => session.runner.snapshot())
    const offTianhe = diagnostics.setSection('tianhe', () => tianheSnapshot(session, stats))
    return () => {
      offTasks()
      offTianhe()
    }
  }, [diagnostics, session, stats])
  // The controllers are the visitor's hands here: at the lowest level each is one merged draw.
  useControllerModels('merge')

  return (
    <>
      <color attach="background" args={['#000005']} />
      <TianheRig session={session} targets={targets} stats={stats}>
        <Tablet session={session} lang={lang} zoneLabel={zoneLabel} onHome={() => navigate('/')} targets={targets} />
        <Vignette session={session} />
      </TianheRig>
      <ModuleMeshes session={session} />
      <Screens session={session} lang={lang} />
      <Labels session={session} lang={lang} />
      <Fixtures session={session} targets={targets} />
      <Items session={session} lang={lang} targets={targets} />
      <Highlight session={session} />
      <RobotArm session={session} />
      <TianheGuide session={session} targets={targets} />
      <TianheCrew session={session} />
      {/* Earth below and off to +X, scaled: seen from the +X window it fills the lower view with
          the horizon about 20° up, as from 400 km. */}
      <OutsideOnly session={session}>
        <OrbitEarth position={[560, -820, -8]} radius={960} />
        <StarField count={1800} radius={1500} />
      </OutsideOnly>
      <BackToHub position={[0, -0.48, -0.42]} rotationY={Math.PI} />
    </>
  )
}

const m4 = new Matrix4()
const v = new Vector3()
const n = new Vector3()
const q = new Quaternion()

function round(x: number, k = 1000): number {
  return Math.round(x * k) / k
}

/** A point or direction in the snapshot, [x, y, z], rounded. */
type Vec3 = [number, number, number]

const rounded = (p: { x: number; y: number; z: number }): Vec3 => [round(p.x), round(p.y), round(p.z)]

function tracking(session: TianheSession, p: Vector3): Vec3 {
  toTracking(session, p, v)
  return rounded(v)
}

/** `snapshot().tianhe`, as {@link tianheSnapshot} computes it. */
export type TianheSnapshot = ReturnType<typeof tianheSnapshot>

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The Tianhe module: body, hands, procedure, tablet, fixtures, items, world (while Tianhe is mounted). */
    tianhe?: TianheSnapshot
    /** The procedure engine's task rows (while Tianhe is mounted). */
    tasks?: TaskSnapshot[]
  }
}

/** The `tianhe` section of `window.lingjing.snapshot()` (computed on demand, never per frame). */
function tianheSnapshot(session: TianheSession, stats: RenderStats) {
  const { body, world, runner, layout } = session
  const step = runner.currentStep()
  const head = session.headWorld
  const area = layout.areas.find((a) => head.z >= a.zRange[0] && head.z <= a.zRange[1])
  const fixtures: Record<string, { center: Vec3; normal: Vec3 }> = {}
  q.copy(body.orientation).invert()
  for (const id of interactiveFixtureIds(layout)) {
    hitBoxMatrix(layout, world, id, m4)
    v.setFromMatrixPosition(m4)
    const f = getFixture(id, layout)
    n.set(...f.normal).applyQuaternion(q)
    fixtures[id] = { center: tracking(session, v), normal: rounded(n) }
  }
  // `module`: where it is drawn (module space, the same for every crew member); `heldBy`: the crew
  // member who holds it when that is someone else (Tianhe together).
  const items: Record<string, { free: boolean; at: Vec3; module: Vec3; heldBy: string | null }> = {}
  for (const it of session.items.items) {
    const p = it.position
    items[it.id] = { free: it.free, at: tracking(session, p), module: rounded(p), heldBy: session.crew?.heldByOther(it.id)?.name ?? null }
  }
  const hand = (side: 'left' | 'right') => {
    const h = session.hands[side]
    return { holding: h.holding, item: h.item, joystick: h.joystick, at: tracking(session, h.world) }
  }
  return {
    drawCalls: stats.drawCalls,
    triangles: stats.triangles,
    views: stats.views,
    drawCallsPerView: round(stats.drawCalls / stats.views, 10),
    trianglesPerView: Math.round(stats.triangles / stats.views),
    statsFrames: stats.frames,
    perZone: stats.perZone,
    zone: session.zone,
    // The 'tianhe-draw-distance' lever: its level and what it draws now.
    drawDistance: {
      level: session.drawDistance.level,
      zones: session.drawDistance.zones.filter((_, i) => session.drawDistance.zoneDrawn[i]),
      caps: session.drawDistance.caps.filter((_, c) => session.drawDistance.capDrawn[c]).map((cap) => `${session.drawDistance.zones[cap.zone]}>${session.drawDistance.zones[cap.toward]}`),
      outside: session.drawDistance.outside,
    },
    area: area?.id ?? null,
    lighting: session.lighting,
    view: session.view,
    origin: { x: round(body.position.x), y: round(body.position.y), z: round(body.position.z), yaw: round(body.yaw, 1e5) },
    head: rounded(head),
    speed: round(body.velocity.length()),
    angularSpeed: round(body.angularVelocity),
    contact: body.contact,
    vignette: round(session.vignette),
    comfort: { ...session.comfort },
    hands: { left: hand('left'), right: hand('right') },
    autopilot: {
      active: session.autopilot.active,
      fixture: session.autopilot.fixture,
      index: session.autopilot.index,
      waypoints: session.autopilot.waypoints.slice(0, session.autopilot.count).map((w) => w.toArray().map((x) => round(x))),
    },
    // Task id → state, so a shipped session's expected outcome reads { tianhe: { taskStates: { id: 'done' } } }.
    taskStates: Object.fromEntries(runner.snapshot().map((t) => [t.id, t.state])),
    procedure: {
      task: runner.activeTaskId(),
      step: step?.id ?? null,
      ready: step ? (step.precondition ? step.precondition(world) : true) : false,
      expects: step ? { type: step.action.type, fixture: step.action.fixture, item: step.action.item ?? null } : null,
      target: currentTarget(session) || null,
      choices: panelChoices(world, step).map((c) => c.value),
    },
    tablet: { open: session.tabletOpen, page: session.tabletPage, size: TABLET_M, buttons: session.tabletButtons?.() ?? {} },
    fixtures,
    items,
    world: tianheWorldSnapshot(world),
    arm: { tip: rounded(world.arm.eePosition), target: rounded(world.armTarget) },
    held: [...world.held],
    // The tablet's status line (the last action's result, a crew mate's step, "held by …").
    status: session.status ? { ...session.status.text, tone: session.status.tone } : null,
    actionCount: session.actionCount,
    lastPick: { ...session.lastPick, distance: round(session.lastPick.distance) },
    actions: session.actions.slice(-12).map((a) => ({ ...a.action, outcome: a.outcome, code: a.code })),
  }
}
