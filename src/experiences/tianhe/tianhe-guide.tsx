import type { ThreeEvent } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { Matrix4, Mesh, MeshBasicMaterial, PlaneGeometry, Vector3 } from 'three'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { profileRadiusAt } from '../../core/tianhe/hull'
import { createGuideFloat, guideBob, headingToward, turnToward, updateGuideFloat, type GuideMoveReason } from '../../core/mascot/guide-float'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useLang } from '../../scene/use-lang'
import { CanvasPanel, drawParagraph, font, roundRect } from './canvas-panel'
import { hitBoxMatrix } from './fixture-poses'
import { currentTarget } from './tablet'
import { toTracking, type PickTargets } from './tianhe-controls'
import type { TianheSession } from './tianhe-session'
import { pickVoice } from '../mascot/mascot-logic'
import { speakLine, useXiaoguanRig, Xiaoguan } from '../mascot/xiaoguan'

/**
 * Xiaoguan in the Tianhe module: in the astronaut outfit it floats beside the visitor (core
 * guide-float: off to the right of the view, never in it, inside the hull, a microgravity bob) and,
 * when asked, says the current procedure step's hint in a bilingual bubble (and aloud where the
 * browser has a voice) while turning to point at the step's target. Ask by pointing at it and
 * pulling the trigger (read by the module's own trigger handling, so replays see it the same way),
 * the tablet's Hint button, a mouse click on it or the G key on the desktop. The hint comes from
 * the procedure runner's `requestHint()`, which charges the hint cost once per step, exactly as
 * the tablet's button does. Nothing here enters the replay state hash except that runner call.
 */

/** Size of Xiaoguan here (× the 0.55 m model): small, a companion rather than a crew member. */
const SCALE = 0.5
/** Pick sphere around Xiaoguan and its Hint tag (holder space, metres). */
const PICK_CENTER_Y = 0.08
const PICK_RADIUS = 0.2
/** Seconds a line stays up (the greeting, a hint, "pick a task first"). */
const GREETING_S = 10
const LINE_S = 14
/** Turning speed (rad/s) when it turns to point or back to the visitor. */
const TURN_RATE = 4
const BUBBLE_PX = { w: 1024, h: 420 }
const BUBBLE_M = { w: 0.52, h: 0.52 * (420 / 1024) }
const TAG_PX = { w: 256, h: 96 }
const TAG_M = { w: 0.13, h: 0.13 * (96 / 256) }

const GREETING: Bilingual = {
  zh: '我是小关，陪你值班！卡住了就指着我扣扳机（电脑上按 G），我来提示。',
  en: "I'm Xiaoguan, on duty with you! Stuck? Point at me and pull the trigger (G on a computer) for a hint.",
}
const NO_TASK: Bilingual = { zh: '先在平板上选一个任务，我再给你提示。', en: 'Pick a task on the tablet first, then I can give you a hint.' }
const TAG: Bilingual = { zh: '? 提示', en: '? Hint' }

/** What the guide shows and did (plain, mutated by the frame system; read by the snapshot). */
/** `snapshot().mascot.guide`: Xiaoguan as the Tianhe guide (positions in tracking space, metres; angles in degrees). */
export interface TianheGuideSnapshot {
  where: 'tianhe'
  visible: boolean
  position: [number, number, number]
  /** The name tag above Xiaoguan. */
  tag: [number, number, number]
  distance: number
  viewAngleDeg: number
  wallClearance: number
  moving: boolean
  moves: number
  reason: GuideMoveReason
  asks: number
  hintsUsed: number
  line: Bilingual | null
  lineKind: GuideState['lineKind']
  bubble: boolean
  hint: Bilingual | null
  step: string | null
  pointingAt: string | null
  pointErrorDeg: number | null
  spoken: boolean
  bubbleDraws: number
}

declare module '../mascot/use-mascot-diagnostics' {
  interface MascotSnapshot {
    /** Set while Xiaoguan guides in Tianhe. */
    guide?: TianheGuideSnapshot
  }
}

interface GuideState {
  line: Bilingual | null
  lineKind: 'greeting' | 'hint' | 'no-task' | null
  lineLeftS: number
  /** The hint object and ask count last shown (a change of either shows the line again). */
  shownHint: Bilingual | null
  shownAsks: number
  asks: number
  /** The step whose hint is shown, and the fixture it points at ('' for none). */
  step: string | null
  pointAt: string
  pointError: number | null
  spoken: boolean
  heading: number
  painted: number
  version: number
}

function paintBubble(panel: CanvasPanel, line: Bilingual, lang: Language, kind: GuideState['lineKind']): void {
  const other: Language = lang === 'zh' ? 'en' : 'zh'
  panel.redraw((ctx) => {
    ctx.clearRect(0, 0, BUBBLE_PX.w, BUBBLE_PX.h)
    roundRect(ctx, 6, 6, BUBBLE_PX.w - 12, BUBBLE_PX.h - 40, 40, 'rgba(255, 251, 240, 0.95)', kind === 'hint' ? '#3d8bff' : '#ffc23d', 8)
    // The tail toward Xiaoguan below.
    ctx.beginPath()
    ctx.moveTo(BUBBLE_PX.w / 2 - 30, BUBBLE_PX.h - 36)
    ctx.lineTo(BUBBLE_PX.w / 2, BUBBLE_PX.h - 4)
    ctx.lineTo(BUBBLE_PX.w / 2 + 30, BUBBLE_PX.h - 36)
    ctx.fillStyle = 'rgba(255, 251, 240, 0.95)'
    ctx.fill()
    let y = 30
    y += drawParagraph(ctx, line[lang], 40, y, BUBBLE_PX.w - 80, lang === 'zh' ? 44 : 40, '#1b2233', 700, 4) + 10
    drawParagraph(ctx, line[other], 40, y, BUBBLE_PX.w - 80, other === 'zh' ? 34 : 30, '#3a4562', 500, 4)
  })
}

function paintTag(panel: CanvasPanel, lang: Language): void {
  panel.redraw((ctx) => {
    ctx.clearRect(0, 0, TAG_PX.w, TAG_PX.h)
    roundRect(ctx, 4, 4, TAG_PX.w - 8, TAG_PX.h - 8, 40, 'rgba(20, 32, 56, 0.92)', '#ffc94f', 6)
    ctx.font = font(44, 700)
    ctx.fillStyle = '#ffe7a3'
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText(TAG[lang], TAG_PX.w / 2, TAG_PX.h / 2 + 2)
  })
}

function panelMesh(panel: CanvasPanel, w: number, h: number, name: string): Mesh {
  const mesh = new Mesh(new PlaneGeometry(w, h), new MeshBasicMaterial({ map: panel.texture, transparent: true, toneMapped: false, depthWrite: false }))
  mesh.name = name
  mesh.frustumCulled = false
  return mesh
}

const scratch = { head: new Vector3(), forward: new Vector3(), target: new Vector3(), v: new Vector3(), m: new Matrix4() }

/** Xiaoguan as the Tianhe module's companion; mount once inside the Tianhe experience. */
export function TianheGuide({ session, targets }: { session: TianheSession; targets: PickTargets }) {
  const lj = useLingjing()
  const lang = useLang()
  const rig = useXiaoguanRig('astronaut')
  const float = useMemo(() => createGuideFloat(), [])
  const state = useMemo<GuideState>(
    () => ({ line: GREETING, lineKind: 'greeting', lineLeftS: GREETING_S, shownHint: null, shownAsks: 0, asks: 0, step: null, pointAt: '', pointError: null, spoken: false, heading: 0, painted: -1, version: 0 }),
    [],
  )
  const langRef = useRef(lang)
  const parts = useMemo(() => {
    const bubble = new CanvasPanel(BUBBLE_PX.w, BUBBLE_PX.h)
    const tag = new CanvasPanel(TAG_PX.w, TAG_PX.h)
    return { bubble, tag, bubbleMesh: panelMesh(bubble, BUBBLE_M.w, BUBBLE_M.h, 'tianhe-guide-bubble'), tagMesh: panelMesh(tag, TAG_M.w, TAG_M.h, 'tianhe-guide-tag') }
  }, [])
  useEffect(
    () => () => {
      for (const [panel, mesh] of [
        [parts.bubble, parts.bubbleMesh],
        [parts.tag, parts.tagMesh],
      ] as const) {
        panel.dispose()
        mesh.geometry.dispose()
        ;(mesh.material as MeshBasicMaterial).dispose()
      }
    },
    [parts],
  )

  // Language changes repaint both panels (and the next line is spoken in the new language).
  useEffect(() => {
    langRef.current = lang
    paintTag(parts.tag, lang)
    state.version++
  }, [lang, parts, state])

  // The one way to ask: the runner's own hint API (charged once per step), as the tablet does.
  const pick = useMemo(() => {
    const ask = () => {
      state.asks++
      if (session.runner.currentStep()) {
        session.hint = session.runner.requestHint()
        session.version++
      }
    }
    return { center: new Vector3(), radius: PICK_RADIUS * (SCALE / 0.5), enabled: false, ask }
  }, [session, state])
  useEffect(() => {
    targets.guide = pick
    return () => {
      targets.guide = null
    }
  }, [pick, targets])

  // Desktop: G asks (only outside a headset; in VR the trigger does).
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'g' || e.repeat || e.target instanceof HTMLInputElement || session.input.presenting) return
      pick.ask()
    }
    window.addEventListener('keydown', down)
    return () => window.removeEventListener('keydown', down)
  }, [pick, session])

  const speakJob = useMemo(() => ({ line: null as Bilingual | null }), [])

  useFrameSystem(
    'tianhe-guide',
    'animation',
    (ctx) => {
      const dt = Math.min(0.1, ctx.deltaMs / 1000)
      const inside = session.view === 'inside'
      rig.root.visible = inside
      parts.tagMesh.visible = inside
      pick.enabled = inside
      // Head and view direction in module space (the scene's world space).
      const head = scratch.head.copy(session.headWorld)
      const forward = scratch.forward.set(0, 0, -1).applyQuaternion(session.input.headQuat).applyQuaternion(session.body.orientation)
      updateGuideFloat(float, head, forward, session.layout.hull, dt)
      rig.root.position.copy(float.position)
      rig.root.position.y += guideBob(float.timeS)
      pick.center.copy(rig.root.position)
      pick.center.y += PICK_CENTER_Y

      // Something new to say: a hint (from here or the tablet), or "pick a task first".
      const hint = session.hint
      if (hint !== state.shownHint || state.asks !== state.shownAsks) {
        const asked = state.asks !== state.shownAsks
        state.shownHint = hint
        state.shownAsks = state.asks
        const step = session.runner.currentStep()
        if (hint) {
          state.line = { zh: `提示：${hint.zh}`, en: `Hint: ${hint.en}` }
          state.lineKind = 'hint'
          state.step = step?.id ?? null
          state.pointAt = currentTarget(session)
          state.lineLeftS = LINE_S
          rig.play('point')
          speakJob.line = state.line
        } else if (asked) {
          state.line = NO_TASK
          state.lineKind = 'no-task'
          state.step = null
          state.pointAt = ''
          state.lineLeftS = LINE_S
          rig.play('nod')
          speakJob.line = state.line
        } else if (state.lineKind === 'hint') {
          // The step moved on (the runner cleared the hint): the old hint no longer applies.
          state.line = null
          state.lineKind = null
          state.pointAt = ''
        }
        state.version++
      }
      if (state.line) {
        state.lineLeftS -= dt
        if (state.lineLeftS <= 0) {
          state.line = null
          state.lineKind = null
          state.pointAt = ''
          state.version++
        }
      }

      // Face the visitor, or the step's target while a hint is up (the point clip's arm follows).
      let aim = headingToward(float.position, head)
      state.pointError = null
      if (state.pointAt) {
        hitBoxMatrix(session.layout, session.world, state.pointAt, scratch.m)
        scratch.target.setFromMatrixPosition(scratch.m)
        aim = headingToward(float.position, scratch.target)
      }
      state.heading = turnToward(state.heading, aim, TURN_RATE * dt)
      if (state.pointAt) state.pointError = Math.abs(turnToward(state.heading, aim, 10) - state.heading)
      rig.pivot.rotation.y = state.heading
      // While a hint is up it keeps pointing the way (the one-shot clip settles into hovering).
      if (state.lineKind === 'hint' && rig.clip === 'hover-idle') rig.play('point')
      rig.update(dt)

      // The bubble above it, turned to the eyes; the Hint tag just under it.
      const bubble = parts.bubbleMesh
      bubble.visible = inside && state.line !== null
      if (bubble.visible) {
        // Above Xiaoguan and shifted toward the middle of the view, so the whole line is readable.
        scratch.v.copy(head).addScaledVector(forward, float.position.distanceTo(head))
        bubble.position.lerpVectors(rig.root.position, scratch.v, 0.45)
        bubble.position.y = rig.root.position.y + 0.27 + BUBBLE_M.h / 2
        bubble.lookAt(head)
      }
      const tag = parts.tagMesh
      tag.position.copy(rig.root.position)
      tag.position.y -= 0.045
      tag.lookAt(head)
      if (state.painted !== state.version && state.line) {
        state.painted = state.version
        const line = state.line
        const kind = state.lineKind
        const spoken = speakJob.line
        speakJob.line = null
        // Canvas drawing and speech are deferrable: a job in the frame's spare time.
        lj.frame.jobs.enqueue({
          name: 'tianhe-guide-bubble',
          priority: 5,
          estimateMs: 4,
          deadlineMs: lj.frame.clock.now() + 150,
          step: () => {
            paintBubble(parts.bubble, line, langRef.current, kind)
            if (spoken) state.spoken = speakLine(spoken, langRef.current, (voices) => pickVoice(voices, langRef.current))
            return true
          },
        })
      }
    },
    8,
  )

  useEffect(
    () =>
      lj.diagnostics.setSection('mascot', () => {
        const at = toTracking(session, rig.root.position, new Vector3())
        const tag = toTracking(session, parts.tagMesh.position, new Vector3())
        const head = session.headWorld
        const rel = rig.root.position.clone().sub(head)
        const forward = new Vector3(0, 0, -1).applyQuaternion(session.input.headQuat).applyQuaternion(session.body.orientation)
        const r = (x: number) => Math.round(x * 1000) / 1000
        const guide: TianheGuideSnapshot = {
          where: 'tianhe',
          visible: rig.root.visible,
          position: [r(at.x), r(at.y), r(at.z)],
          tag: [r(tag.x), r(tag.y), r(tag.z)],
          distance: r(rel.length()),
          viewAngleDeg: r((Math.acos(Math.max(-1, Math.min(1, rel.dot(forward) / rel.length()))) * 180) / Math.PI),
          wallClearance: r(profileRadiusAt(session.layout.hull, rig.root.position.z) - Math.hypot(rig.root.position.x, rig.root.position.y)),
          moving: float.moving,
          moves: float.moves,
          reason: float.reason,
          asks: state.asks,
          // Hints charged to the active task by the procedure engine (once per step).
          hintsUsed: session.runner.activeTaskId() ? session.runner.progress(session.runner.activeTaskId()!).hintsUsed : 0,
          line: state.line,
          lineKind: state.lineKind,
          bubble: parts.bubbleMesh.visible,
          hint: session.hint,
          step: state.step,
          pointingAt: state.pointAt || null,
          pointErrorDeg: state.pointError === null ? null : r((state.pointError * 180) / Math.PI),
          spoken: state.spoken,
          bubbleDraws: parts.bubble.draws,
        }
        return {
          placed: false,
          animation: rig.clip,
          photoCount: 0,
          outfit: rig.outfit,
          guide,
        }
      }),
    [lj.diagnostics, float, parts, rig, session, state],
  )

  // Desktop: a click on Xiaoguan or its tag asks too (in XR the trigger goes through `pick`).
  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (session.input.presenting) return
    e.stopPropagation()
    pick.ask()
  }
  return (
    <group name="tianhe-guide">
      <Xiaoguan rig={rig} scale={SCALE} onClick={onClick} />
      <primitive object={parts.bubbleMesh} />
      <primitive object={parts.tagMesh} onClick={onClick} />
    </group>
  )
}
