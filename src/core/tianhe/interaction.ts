import type { Bilingual } from '../i18n/strings'
import { LIFE_SUPPORT_UNITS, readLifeSupport, type LifeSupportQuantity } from './life-support'
import type { DispatchAction, StepDefinition } from './procedure-engine'
import { CLASSROOM_ANSWERS } from './tasks'
import { ITEM_IDS, type TianheWorld } from './tianhe-world'

/**
 * What the user's hands mean to the Tianhe tasks: pointing at a fixture and pulling the trigger,
 * squeezing the grip on a fixture or an item, letting go of a held item at a fixture, or choosing
 * a value on the procedure panel. The scene finds *which* fixture (ray or hand contact); these
 * functions say *which action* that is, from the fixture, the world state and (for touch-screen
 * consoles, whose page follows the procedure) the current step. `null` means "nothing happens".
 */

/** Fixtures a hand can close round (the squeeze grabs the fixture itself, not an item on it). */
export const GRABBABLE_FIXTURES: readonly string[] = ['treadmill-harness', 'arm-joystick-left', 'arm-joystick-right']

function isStowage(fixture: string): boolean {
  return fixture.startsWith('stowage-')
}

/**
 * Action for pointing at `fixture` and pulling the trigger. Physical switches toggle with the
 * world state (hatch, panel, latch, treadmill); the touch-screen consoles show the page the
 * current procedure step is on, so a tap there is that step's action.
 */
export function triggerAction(world: TianheWorld, fixture: string, step: StepDefinition<TianheWorld> | null): DispatchAction | null {
  const stepHere = step && step.action.fixture === fixture && step.action.type !== 'read' ? step : null
  switch (fixture) {
    case 'console-main':
      // A tap wakes a sleeping screen; the world treats 'press' and 'ack' here alike.
      if (stepHere && (stepHere.action.type === 'ack' || stepHere.action.type === 'press')) return { type: stepHere.action.type, fixture }
      return world.consoleAwake ? null : { type: 'press', fixture }
    case 'alarm-ack':
      return { type: 'ack', fixture }
    case 'arm-console': {
      if (stepHere && typeof stepHere.action.value === 'string') return { type: stepHere.action.type, fixture, value: stepHere.action.value }
      // Off the procedure the screen walks through power → tip mode → brake → release.
      if (!world.armPowered) return { type: 'press', fixture, value: 'power-on' }
      if (world.armMode === 'joint') return { type: 'turn', fixture, value: 'cartesian' }
      return { type: 'press', fixture, value: world.armBraked ? 'release-brake' : 'brake' }
    }
    case 'hatch-tianzhou':
      return { type: 'turn', fixture, value: world.tianzhouHatchOpen ? 'closed' : 'open' }
    case 'filter-panel':
      return { type: 'turn', fixture, value: world.lifeSupport.panelOpen ? 'closed' : 'open' }
    case 'filter-slot':
      if (!world.lifeSupport.panelOpen || world.lifeSupport.cartridge === 'none') return null
      return { type: 'turn', fixture, value: world.lifeSupport.cartridgeLocked ? 'unlocked' : 'locked' }
    case 'water-ball-station':
      return world.waterBall.active ? null : { type: 'press', fixture }
    case 'treadmill':
      return { type: 'press', fixture, value: world.treadmill.running ? 'stop' : 'start' }
    default:
      return null
  }
}

function cartridgeItem(world: TianheWorld): string | null {
  const c = world.lifeSupport.cartridge
  return c === 'old' ? ITEM_IDS.oldCartridge : c === 'new' ? ITEM_IDS.newCartridge : null
}

/**
 * Action for squeezing an empty hand on `fixture`: take the item that is there (a bag from the
 * cargo ship — `preferredItem` if it is one of them —, whatever is in a stowage slot, the filter
 * cartridge, the ping-pong ball) or close the hand round a grabbable fixture (harness, joystick).
 */
export function grabAction(world: TianheWorld, fixture: string, preferredItem?: string): DispatchAction | null {
  if (GRABBABLE_FIXTURES.includes(fixture)) return { type: 'grab', fixture }
  if (fixture === 'hatch-tianzhou') {
    if (!world.tianzhouHatchOpen || world.tianzhouCargo.length === 0) return null
    const item = preferredItem && world.tianzhouCargo.includes(preferredItem) ? preferredItem : world.tianzhouCargo[0]
    return { type: 'grab', fixture, item }
  }
  if (isStowage(fixture)) {
    const item = world.stowage[fixture]
    return item ? { type: 'grab', fixture, item } : null
  }
  if (fixture === 'filter-slot') {
    // A latched cartridge can still be tugged at (the step order says unlatch first: a mistake).
    const item = world.lifeSupport.panelOpen ? cartridgeItem(world) : null
    return item ? { type: 'grab', fixture, item } : null
  }
  if (fixture === 'water-ball-station') return world.pingPongAtStation ? { type: 'grab', fixture, item: ITEM_IDS.pingPongBall } : null
  if (fixture === 'water-ball') return world.waterBall.ballInside ? { type: 'grab', fixture, item: ITEM_IDS.pingPongBall } : null
  return null
}

/** True if `item` can physically go into `fixture` now (an empty slot, an open panel …). */
export function canPlace(world: TianheWorld, fixture: string, item: string): boolean {
  if (!world.held.includes(item)) return false
  if (isStowage(fixture)) return fixture in world.stowage && world.stowage[fixture] === null
  if (fixture === 'filter-slot') return (item === ITEM_IDS.oldCartridge || item === ITEM_IDS.newCartridge) && world.lifeSupport.panelOpen && world.lifeSupport.cartridge === 'none'
  if (fixture === 'water-ball') return item === ITEM_IDS.pingPongBall && world.waterBall.active && !world.waterBall.ballInside
  if (fixture === 'water-ball-station') return item === ITEM_IDS.pingPongBall && !world.pingPongAtStation
  if (fixture === 'hatch-tianzhou') return world.tianzhouHatchOpen && item in world.stowageList
  return false
}

/** Action for letting go of a held `item` at `fixture`, or null if it cannot go there (it floats). */
export function placeAction(world: TianheWorld, fixture: string, item: string): DispatchAction | null {
  return canPlace(world, fixture, item) ? { type: 'place', fixture, item } : null
}

/** One choice button on the procedure panel. */
export interface PanelChoice {
  /** Sent as the action's value. */
  value: number | string
  /** Button text. */
  label: Bilingual
}

/** The gauge each 'read' step reads (the console or the filter panel). */
export const READ_STEP_QUANTITY: Readonly<Record<string, LifeSupportQuantity>> = {
  'read-pressure': 'pressure',
  'read-o2': 'o2',
  'read-co2': 'co2',
  'read-temperature': 'temperature',
  'verify-dp': 'filter-dp',
}

// Small stable hash so the right answer is not always in the same place.
function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

/**
 * The answer buttons the procedure panel shows for the current step: for a gauge reading, the
 * value on the gauge now and two readings well outside the step's tolerance; for the classroom
 * question, its three answers. Empty for steps done with the hands.
 */
export function panelChoices(world: TianheWorld, step: StepDefinition<TianheWorld> | null): PanelChoice[] {
  if (!step) return []
  if (step.action.type === 'ack' && step.action.fixture === 'water-ball-station' && step.action.value !== undefined) {
    return CLASSROOM_ANSWERS.map((a) => ({ value: a.value, label: a.label }))
  }
  const quantity = READ_STEP_QUANTITY[step.id]
  if (step.action.type !== 'read' || !quantity) return []
  const value = readLifeSupport(world.lifeSupport, quantity)
  const decimals = quantity === 'co2' || quantity === 'filter-dp' ? 2 : 1
  const spread = Math.max(4 * (step.action.tolerance ?? 0), 4 * 10 ** -decimals)
  const f = 10 ** decimals
  const values = [value, Math.round((value + spread) * f) / f, Math.round(Math.max(0, value - spread * 1.5) * f) / f]
  // Rotate so the gauge value sits at a step-dependent position.
  const shift = hash(step.id) % 3
  const ordered = values.map((_, i) => values[(i + shift) % 3])
  const unit = LIFE_SUPPORT_UNITS[quantity]
  return ordered.map((v) => {
    const text = `${v.toFixed(decimals)} ${unit}`
    return { value: v, label: { zh: text, en: text } }
  })
}

/** The action a panel choice sends for `step`. */
export function choiceAction(step: StepDefinition<TianheWorld>, choice: PanelChoice): DispatchAction {
  return { type: step.action.type, fixture: step.action.fixture, value: choice.value }
}
