import type { Language } from '../../core/app/options'
import {
  LIGHTING_SCENES,
  getFixture,
  panelChoices,
  planAutopilot,
  planAutopilotTo,
  resetUpright,
  choiceAction,
  type LightingSceneId,
  type StepDefinition,
  type TianheWorld,
} from '../../core/tianhe'
import { button, drawParagraph, font, roundRect, type CanvasPanel } from './canvas-panel'
import { TIANHE_STRINGS as S } from './tianhe-strings'
import { SEATED_LIFT, WORKOUT_LENGTHS_S, performAction, setWorkoutLength, startTask, type TianheSession } from './tianhe-session'

/**
 * The crew tablet: a panel that floats with the visitor (child of the XR origin) with three pages —
 * the task list, the procedure viewer (bilingual step text, the current step highlighted, hint,
 * "guide me", answer buttons for readings and questions) and comfort & lighting. Drawn into a
 * canvas on change; clicks arrive as texture coordinates from the controller ray or the mouse.
 */

/** Tablet canvas size (px). */
export const TABLET_PX = { w: 1200, h: 860 }
/** Tablet size in the world (m): same aspect as the canvas. */
export const TABLET_M = { w: 0.6, h: 0.43 }

/** Where the steps of the active task stand, for the viewer. */
function stepTarget(step: StepDefinition<TianheWorld>): string {
  return step.target ?? step.action.fixture
}

/** The fixture the current step acts on ('' if none). */
export function currentTarget(session: TianheSession): string {
  const step = session.runner.currentStep()
  if (!step) return ''
  const t = stepTarget(step)
  if (t !== '*') return t
  // "Take the bag back wherever it is": point at where that item is now.
  for (const slot in session.world.stowage) if (session.world.stowage[slot] === step.action.item) return slot
  return ''
}

/** Paints the tablet for the session's page. */
export function paintTablet(panel: CanvasPanel, session: TianheSession, lang: Language, zoneLabel: string): void {
  panel.redraw((ctx) => {
    const { w, h } = TABLET_PX
    roundRect(ctx, 4, 4, w - 8, h - 8, 36, 'rgba(10,18,32,0.94)', '#6fb6ff', 6)
    // Tabs.
    const tabs: [typeof session.tabletPage, string][] = [
      ['tasks', S.tabTasks[lang]],
      ['procedure', S.tabProcedure[lang]],
      ['comfort', S.tabComfort[lang]],
    ]
    tabs.forEach(([id, label], i) => button(panel, `tab-${id}`, 30 + i * 270, 26, 255, 70, label, { active: session.tabletPage === id, size: 30 }))
    ctx.font = font(26, 600)
    ctx.fillStyle = '#9cc9ee'
    ctx.textAlign = 'right'
    ctx.textBaseline = 'middle'
    ctx.fillText(zoneLabel, w - 36, 61)
    const top = 120
    if (session.tabletPage === 'tasks') paintTasks(panel, session, lang, top)
    else if (session.tabletPage === 'procedure') paintProcedure(panel, session, lang, top)
    else paintComfort(panel, session, lang, top)
  })
}

function paintTasks(panel: CanvasPanel, session: TianheSession, lang: Language, top: number): void {
  const ctx = panel.ctx
  drawParagraph(ctx, S.tasksIntro[lang], 40, top, 1120, 26, '#b9d3ea')
  const rows = session.runner.snapshot()
  rows.forEach((row, i) => {
    const def = session.runner.definitions[i]
    const y = top + 50 + i * 92
    const active = row.state === 'active'
    roundRect(ctx, 30, y, 1140, 80, 16, active ? '#1f4f80' : '#152338', active ? '#9fd2ff' : '#34506f')
    panel.region(`task:${row.id}`, 30, y, 1140, 80)
    ctx.textAlign = 'left'
    ctx.textBaseline = 'middle'
    ctx.font = font(34, 700)
    ctx.fillStyle = '#f2f8ff'
    ctx.fillText(`${i + 1}. ${def.title[lang]}`, 54, y + 40)
    const badge = S[row.state][lang]
    const color = row.state === 'done' ? '#7be08f' : row.state === 'failed' ? '#ff8a7a' : row.state === 'active' ? '#ffd36b' : '#9fb3c8'
    ctx.textAlign = 'right'
    ctx.font = font(28, 600)
    ctx.fillStyle = color
    ctx.fillText(row.state === 'pending' ? badge : `${badge} · ${S.score[lang]} ${row.score}`, 1150, y + 40)
  })
  const y = top + 50 + rows.length * 92 + 10
  ctx.textAlign = 'left'
  ctx.textBaseline = 'middle'
  ctx.font = font(28, 600)
  ctx.fillStyle = '#d8ecff'
  ctx.fillText(S.workout[lang], 40, y + 30)
  WORKOUT_LENGTHS_S.forEach((sec, i) =>
    button(panel, `workout:${sec}`, 560 + i * 205, y, 190, 60, sec < 60 ? `${sec} s` : `${sec / 60} min`, { active: session.treadmillSeconds === sec, size: 26 }),
  )
}

function paintProcedure(panel: CanvasPanel, session: TianheSession, lang: Language, top: number): void {
  const ctx = panel.ctx
  const taskId = session.runner.activeTaskId()
  if (!taskId) {
    drawParagraph(ctx, S.noTask[lang], 40, top + 20, 1120, 34, '#d8ecff', 600)
    if (session.status) drawParagraph(ctx, session.status.text[lang], 40, top + 110, 1120, 32, toneColor(session.status.tone), 600)
    return
  }
  const def = session.runner.definitions.find((d) => d.id === taskId)!
  const progress = session.runner.progress(taskId)
  const current = session.runner.currentStep()
  ctx.font = font(34, 700)
  ctx.fillStyle = '#ffffff'
  ctx.textAlign = 'left'
  ctx.textBaseline = 'top'
  ctx.fillText(def.title[lang], 40, top)
  ctx.textAlign = 'right'
  ctx.font = font(26, 600)
  ctx.fillStyle = '#9cc9ee'
  ctx.fillText(`${S.score[lang]} ${progress.score} · ${S.mistakes[lang]} ${progress.mistakes}`, 1160, top + 6)
  // Step list: the main sequence, with the current step (even a branch) in place.
  const main = def.steps.filter((s) => !s.branch || s === current)
  const ci = current ? main.indexOf(current) : -1
  const first = Math.max(0, Math.min(ci - 2, main.length - 5))
  const shown = main.slice(first, first + 5)
  let y = top + 52
  shown.forEach((step) => {
    const isCurrent = step === current
    const done = progress.completedSteps.includes(step.id) && !isCurrent
    const rowH = isCurrent ? 112 : 44
    if (isCurrent) roundRect(ctx, 30, y - 4, 1140, rowH, 14, '#24507e', '#ffd36b', 4)
    const mark = done ? '✓' : isCurrent ? '▶' : '·'
    ctx.textAlign = 'left'
    ctx.font = font(isCurrent ? 30 : 24, isCurrent ? 700 : 400)
    ctx.fillStyle = done ? '#7be08f' : isCurrent ? '#ffd36b' : '#8fa8c0'
    ctx.fillText(mark, 44, y + 4)
    if (isCurrent) drawParagraph(ctx, step.text[lang], 84, y + 2, 1070, 30, '#ffffff', 600, 3)
    else drawParagraph(ctx, step.text[lang], 84, y + 4, 1070, 24, done ? '#9fc8a8' : '#b7c8d8', 400, 1)
    y += rowH + 8
  })
  y = Math.max(y, top + 330)
  if (session.hint) y += drawParagraph(ctx, `${S.hint[lang]}: ${session.hint[lang]}`, 40, y, 1120, 26, '#ffe7a3', 400, 2) + 6
  if (session.status) y += drawParagraph(ctx, session.status.text[lang], 40, y, 1120, 26, toneColor(session.status.tone), 600, 1) + 6
  // Answer buttons for readings and the classroom question.
  const choices = panelChoices(session.world, current)
  if (choices.length > 0 && current) {
    ctx.font = font(26, 600)
    ctx.fillStyle = '#d8ecff'
    ctx.textAlign = 'left'
    ctx.textBaseline = 'top'
    ctx.fillText(current.action.type === 'read' ? S.choose[lang] : S.answer[lang], 40, 620)
    const bw = 1120 / choices.length - 16
    choices.forEach((c, i) => button(panel, `choice:${i}`, 40 + i * (bw + 16), 656, bw, 72, c.label[lang], { tone: 'primary', size: choices.length > 2 && current.action.type !== 'read' ? 24 : 32 }))
  }
  button(panel, 'hint', 40, 760, 260, 70, S.hint[lang])
  button(panel, 'guide', 320, 760, 420, 70, S.guide[lang], { tone: 'primary' })
  button(panel, 'abort', 900, 760, 260, 70, S.abort[lang], { tone: 'danger' })
}

/** Wayfinding destinations on the comfort page: head positions on the axis of each section. */
export const WAYPOINTS: readonly { zone: string; at: [number, number, number] }[] = [
  { zone: 'node-cabin', at: [0, 0, -1.45] },
  { zone: 'small-column', at: [0, 0, -5.0] },
  { zone: 'large-column', at: [0, 0, -9.8] },
  { zone: 'aft-passage', at: [0, 0, -14.6] },
]

function paintComfort(panel: CanvasPanel, session: TianheSession, lang: Language, top: number): void {
  const ctx = panel.ctx
  const c = session.comfort
  const row = (label: string, y: number) => {
    ctx.font = font(28, 600)
    ctx.fillStyle = '#d8ecff'
    ctx.textAlign = 'left'
    ctx.textBaseline = 'middle'
    ctx.fillText(label, 40, y + 32)
  }
  row(S.vignette[lang], top)
  button(panel, 'vignette', 600, top, 270, 64, c.vignette ? S.on[lang] : S.off[lang], { active: c.vignette })
  row(S.turn[lang], top + 80)
  button(panel, 'turn:snap', 600, top + 80, 270, 64, S.snap[lang], { active: c.turn === 'snap' })
  button(panel, 'turn:smooth', 890, top + 80, 270, 64, S.smooth[lang], { active: c.turn === 'smooth' })
  row(S.seated[lang], top + 160)
  button(panel, 'seated', 600, top + 160, 270, 64, c.seated ? S.on[lang] : S.off[lang], { active: c.seated })
  button(panel, 'upright', 890, top + 160, 270, 64, S.upright[lang])
  row(S.lighting[lang], top + 236)
  LIGHTING_SCENES.forEach((scene, i) => button(panel, `light:${scene.id}`, 40 + i * 380, top + 290, 360, 64, scene.label[lang], { active: session.lighting === scene.id }))
  row(S.wayfinding[lang], top + 366)
  WAYPOINTS.forEach((w, i) => {
    const label = session.layout.zones.find((z) => z.id === w.zone)?.label[lang] ?? w.zone
    button(panel, `go:${w.zone}`, 40 + i * 283, top + 420, 268, 64, label, { size: 24 })
  })
  button(panel, 'view', 40, top + 506, 700, 64, session.view === 'inside' ? S.exterior[lang] : S.inside[lang], { tone: 'primary', size: 26 })
  button(panel, 'hub', 760, top + 506, 400, 64, S.hub[lang])
  drawParagraph(ctx, `${S.moveHelp[lang]} ${S.tabletHelp[lang]}`, 40, top + 590, 1120, 22, '#9fb3c8', 400, 2)
  drawParagraph(ctx, S.desktopHelp[lang], 40, top + 650, 1120, 22, '#9fb3c8', 400, 2)
}

function toneColor(tone: 'info' | 'good' | 'bad'): string {
  return tone === 'good' ? '#7be08f' : tone === 'bad' ? '#ff8a7a' : '#bfe3ff'
}

/** What a tablet click may do beyond the session (navigation, view changes the scene owns). */
export interface TabletEffects {
  navigateHome(): void
  toggleView(): void
}

/** Handles a click on tablet region `id`. */
export function onTabletClick(session: TianheSession, id: string, effects: TabletEffects): void {
  const { comfort, body } = session
  if (id.startsWith('tab-')) session.tabletPage = id.slice(4) as typeof session.tabletPage
  else if (id.startsWith('task:')) startTask(session, id.slice(5))
  else if (id.startsWith('workout:')) setWorkoutLength(session, Number(id.slice(8)))
  else if (id === 'hint') session.hint = session.runner.requestHint()
  else if (id === 'abort') {
    session.runner.abort()
    session.tabletPage = 'tasks'
  } else if (id === 'guide') {
    const target = currentTarget(session)
    if (target && session.view === 'inside') planAutopilot(session.autopilot, session.layout.hull, body.config.radius, session.headWorld, getFixture(target, session.layout))
  } else if (id.startsWith('choice:')) {
    const step = session.runner.currentStep()
    const choice = panelChoices(session.world, step)[Number(id.slice(7))]
    if (step && choice) performAction(session, choiceAction(step, choice))
  } else if (id === 'vignette') comfort.vignette = !comfort.vignette
  else if (id === 'turn:snap') comfort.turn = 'snap'
  else if (id === 'turn:smooth') comfort.turn = 'smooth'
  else if (id === 'seated') {
    // Seated: lift the tracking origin so a seated head floats where a standing one would.
    comfort.seated = !comfort.seated
    body.position.y += comfort.seated ? SEATED_LIFT : -SEATED_LIFT
  } else if (id === 'upright') resetUpright(body, 0, session.input.head)
  else if (id.startsWith('light:')) session.lighting = id.slice(6) as LightingSceneId
  else if (id.startsWith('go:') && session.view === 'inside') {
    const w = WAYPOINTS.find((p) => p.zone === id.slice(3))
    if (w) planAutopilotTo(session.autopilot, session.layout.hull, body.config.radius, session.headWorld, { x: w.at[0], y: w.at[1], z: w.at[2] }, null, id.slice(3))
  }
  else if (id === 'view') effects.toggleView()
  else if (id === 'hub') effects.navigateHome()
  session.version++
}
