import { describe, expect, it } from 'vitest'
import { createManualClock } from '../time/clock'
import { canPlace, choiceAction, grabAction, panelChoices, placeAction, triggerAction } from './interaction'
import { readLifeSupport } from './life-support'
import { LIGHTING_SCENES, lightingScene } from './lighting'
import { createProcedureRunner, type DispatchAction } from './procedure-engine'
import { CLASSROOM_ANSWERS, createTianheTasks, performTianheAction } from './tasks'
import { catchItem, createTianheWorld, itemLocation, releaseArmGrip, releaseItem, updateTianheWorld } from './tianhe-world'

function session() {
  const clock = createManualClock(0)
  const world = createTianheWorld({ seed: 5 })
  const runner = createProcedureRunner(createTianheTasks({ treadmillSeconds: 2 }), { clockMs: clock.now, world: () => world })
  const advance = (s: number) => {
    for (let i = 0; i < Math.round(s * 90); i++) {
      updateTianheWorld(world, 1 / 90)
      clock.advance(1000 / 90)
      runner.tick()
    }
  }
  // What the scene does: resolve the gesture to an action, then apply + judge it.
  const trigger = (fixture: string) => {
    const a = triggerAction(world, fixture, runner.currentStep())
    return a ? performTianheAction(world, runner, a).outcome : 'none'
  }
  const squeeze = (fixture: string, item?: string) => {
    const a = grabAction(world, fixture, item)
    return a ? performTianheAction(world, runner, a).outcome : 'none'
  }
  const letGo = (fixture: string, item: string) => {
    const a = placeAction(world, fixture, item)
    return a ? performTianheAction(world, runner, a).outcome : 'none'
  }
  const choose = (value: number | string) => {
    const step = runner.currentStep()!
    const choice = panelChoices(world, step).find((c) => c.value === value)
    if (!choice) throw new Error(`no choice ${value}`)
    return performTianheAction(world, runner, choiceAction(step, choice)).outcome
  }
  return { world, runner, advance, trigger, squeeze, letGo, choose }
}

describe('gestures → actions', () => {
  it('morning check with trigger taps and panel choices only', () => {
    const { world, runner, advance, trigger, choose } = session()
    runner.start('morning-check')
    // An awake console with no console step on the procedure does nothing (no stray mistakes).
    expect(trigger('console-main')).toBe('advanced')
    expect(trigger('console-main')).toBe('none')
    for (const q of ['pressure', 'o2', 'co2', 'temperature'] as const) {
      advance(1)
      const choices = panelChoices(world, runner.currentStep())
      expect(choices).toHaveLength(3)
      // Only one choice is within tolerance of the gauge.
      const right = readLifeSupport(world.lifeSupport, q)
      expect(choices.filter((c) => c.value === right)).toHaveLength(1)
      expect(new Set(choices.map((c) => c.value)).size).toBe(3)
      expect(choose(right)).toBe('advanced')
    }
    expect(trigger('alarm-ack')).toBe('completed')
    expect(runner.progress('morning-check').mistakes).toBe(0)
  })

  it('a wrong reading on the panel is a mistake', () => {
    const { world, runner, trigger, choose } = session()
    runner.start('morning-check')
    trigger('console-main')
    const wrong = panelChoices(world, runner.currentStep()).find((c) => c.value !== readLifeSupport(world.lifeSupport, 'pressure'))!
    expect(choose(wrong.value)).toBe('mistake')
  })

  it('cargo transfer: toggle the hatch, take bags, let go of them in slots; a dropped bag floats and is caught again', () => {
    const { world, runner, trigger, squeeze, letGo } = session()
    runner.start('cargo-transfer')
    expect(squeeze('hatch-tianzhou')).toBe('none') // shut: nothing to take
    expect(trigger('hatch-tianzhou')).toBe('advanced')
    expect(squeeze('hatch-tianzhou', 'bag-01')).toBe('advanced')
    // Let go in mid-air: it floats free; catching it puts it back in hand.
    expect(releaseItem(world, 'bag-01')).toBe(true)
    expect(itemLocation(world, 'bag-01').kind).toBe('free')
    expect(catchItem(world, 'bag-01')).toBe(true)
    expect(catchItem(world, 'bag-01')).toBe(false)
    expect(letGo('stowage-s03', 'bag-01')).toBe('advanced')
    expect(itemLocation(world, 'bag-01')).toMatchObject({ kind: 'stowed', slot: 'stowage-s03' })
    // An occupied slot cannot take another bag: the bag just floats.
    squeeze('hatch-tianzhou', 'bag-02')
    expect(canPlace(world, 'stowage-s03', 'bag-02')).toBe(false)
    expect(placeAction(world, 'stowage-s03', 'bag-02')).toBeNull()
    for (const [bag, slot] of [['bag-02', 'stowage-s01'], ['bag-03', 'stowage-s06'], ['bag-04', 'stowage-s04']]) {
      if (bag !== 'bag-02') expect(squeeze('hatch-tianzhou', bag)).toBe('advanced')
      expect(itemLocation(world, bag).kind).toBe('held')
      expect(letGo(slot, bag)).toBe('advanced')
    }
    expect(runner.currentStep()?.id).toBe('log-stowage')
    // The console is asleep; the tap that wakes it is the step's confirmation, not a wrong action.
    expect(world.consoleAwake).toBe(false)
    expect(trigger('console-main')).toBe('completed')
    expect(runner.progress('cargo-transfer').mistakes).toBe(0)
  })

  it('filter replacement with the hands, then the gauge reading', () => {
    const { world, runner, advance, trigger, squeeze, letGo, choose } = session()
    runner.start('filter-replacement')
    expect(trigger('filter-slot')).toBe('none') // behind the closed panel
    expect(trigger('filter-panel')).toBe('advanced')
    expect(trigger('filter-slot')).toBe('advanced') // unlatch
    expect(squeeze('filter-slot')).toBe('advanced')
    expect(letGo('stowage-waste', 'cartridge-old')).toBe('advanced')
    expect(squeeze('stowage-s08')).toBe('advanced')
    expect(letGo('filter-slot', 'cartridge-new')).toBe('advanced')
    expect(trigger('filter-slot')).toBe('advanced') // latch
    expect(trigger('filter-panel')).toBe('advanced') // close
    advance(20)
    const dp = readLifeSupport(world.lifeSupport, 'filter-dp')
    expect(choose(dp)).toBe('completed')
    expect(runner.progress('filter-replacement').mistakes).toBe(0)
  })

  it('robotic arm: the console walks power → tip mode → brake; the sticks are grabbed and let go', () => {
    const { world, runner, trigger, squeeze } = session()
    runner.start('robotic-arm')
    expect(trigger('arm-console')).toBe('advanced')
    expect(world.armPowered).toBe(true)
    expect(trigger('arm-console')).toBe('advanced')
    expect(world.armMode).toBe('cartesian')
    expect(squeeze('arm-joystick-left')).toBe('advanced')
    expect(squeeze('arm-joystick-right')).toBe('advanced')
    expect(world.armGrips).toEqual({ left: true, right: true })
    world.armInput.translation.set(1, 0, 0)
    releaseArmGrip(world, 'left')
    expect(world.armGrips.left).toBe(false)
    expect(world.armInput.translation.length()).toBe(0)
    // Off the procedure the console still cycles sensibly.
    runner.abort()
    expect(triggerAction(world, 'arm-console', null)).toEqual({ type: 'press', fixture: 'arm-console', value: 'brake' })
  })

  it('classroom: dispense, take the ball, push it in, answer on the panel', () => {
    const { world, runner, advance, trigger, squeeze, letGo, choose } = session()
    runner.start('tiangong-classroom')
    expect(letGo('water-ball', 'ping-pong-ball')).toBe('none') // not held yet
    expect(trigger('water-ball-station')).toBe('advanced')
    expect(trigger('water-ball-station')).toBe('none')
    expect(squeeze('water-ball-station')).toBe('advanced')
    expect(letGo('water-ball', 'ping-pong-ball')).toBe('advanced')
    advance(5.2)
    expect(runner.currentStep()?.id).toBe('explain')
    expect(panelChoices(world, runner.currentStep()).map((c) => c.value)).toEqual(CLASSROOM_ANSWERS.map((a) => a.value))
    expect(choose('no-buoyancy')).toBe('completed')
  })

  it('treadmill: squeeze the harness, tap start, run, tap stop', () => {
    const { runner, advance, trigger, squeeze } = session()
    runner.start('treadmill-exercise')
    expect(trigger('treadmill-harness')).toBe('none')
    expect(squeeze('treadmill-harness')).toBe('advanced')
    expect(trigger('treadmill')).toBe('advanced')
    advance(2.1)
    expect(trigger('treadmill')).toBe('completed')
  })

  it('unknown fixtures and hand-only fixtures produce nothing', () => {
    const { world } = session()
    expect(triggerAction(world, 'console-aux', null)).toBeNull()
    expect(grabAction(world, 'microwave')).toBeNull()
    expect(grabAction(world, 'stowage-s02')).toBeNull()
    const a: DispatchAction | null = grabAction(world, 'stowage-s08')
    expect(a).toEqual({ type: 'grab', fixture: 'stowage-s08', item: 'cartridge-new' })
    expect(panelChoices(world, null)).toEqual([])
  })
})

describe('lighting scenes', () => {
  it('work, dining and sleep: bilingual, sleep darkest, dining warmest', () => {
    expect(LIGHTING_SCENES.map((s) => s.id)).toEqual(['work', 'dining', 'sleep'])
    for (const s of LIGHTING_SCENES) expect(s.label.zh.length * s.label.en.length).toBeGreaterThan(0)
    const warmth = (hex: string) => parseInt(hex.slice(1, 3), 16) - parseInt(hex.slice(5, 7), 16)
    expect(lightingScene('sleep').intensity).toBeLessThan(lightingScene('dining').intensity)
    expect(lightingScene('dining').intensity).toBeLessThan(lightingScene('work').intensity)
    expect(warmth(lightingScene('dining').skyColor)).toBeGreaterThan(warmth(lightingScene('work').skyColor))
    expect(() => lightingScene('party' as never)).toThrow()
  })
})
