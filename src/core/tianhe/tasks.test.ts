import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../time/clock'
import { readLifeSupport } from './life-support'
import { getFixture } from './module-layout'
import { createProcedureRunner, type DispatchAction, type ProcedureEvent } from './procedure-engine'
import { CLASSROOM_ANSWERS, FIXTURE_ACTIONS, TIANHE_TASK_IDS, createTianheTasks, performTianheAction } from './tasks'
import { DEFAULT_STOWAGE_LIST, armTargetDistance, createTianheWorld, setArmJoysticks, updateTianheWorld, type TianheWorld } from './tianhe-world'

const DT = 1 / 72

function session(seed = 11) {
  const clock = createManualClock(0)
  const world = createTianheWorld({ seed })
  const runner = createProcedureRunner(createTianheTasks(), { clockMs: clock.now, world: () => world })
  const events: ProcedureEvent[] = []
  runner.on((e) => events.push(e))
  // Fixed-step loop: the world and the clock advance together; the runner ticks every frame.
  const advance = (seconds: number, each?: (w: TianheWorld) => void) => {
    const n = Math.round(seconds / DT)
    for (let i = 0; i < n; i++) {
      each?.(world)
      updateTianheWorld(world, DT)
      clock.advance(DT * 1000)
      runner.tick()
    }
  }
  const act = (action: DispatchAction) => performTianheAction(world, runner, action)
  return { clock, world, runner, events, advance, act }
}

describe('Tianhe task data', () => {
  it('defines six bilingual tasks whose fixtures exist in the layout', () => {
    const defs = createTianheTasks()
    expect(defs.map((d) => d.id)).toEqual([...TIANHE_TASK_IDS])
    const dynamic = new Set(['*'])
    for (const d of defs) {
      expect(d.title.zh.length * d.title.en.length).toBeGreaterThan(0)
      for (const s of d.steps) {
        for (const text of [s.text, s.hint]) {
          expect(text.zh).toMatch(/[\u4e00-\u9fff]/)
          expect(text.en).toMatch(/[a-z]/i)
        }
        if (!dynamic.has(s.action.fixture)) expect(getFixture(s.action.fixture).id).toBe(s.action.fixture)
        const kind = s.action.fixture.startsWith('stowage-') ? 'stowage' : s.action.fixture
        if (FIXTURE_ACTIONS[kind]) expect(FIXTURE_ACTIONS[kind]).toContain(s.action.type)
      }
    }
    // Validated by the engine (unique ids, branch targets).
    expect(() => createProcedureRunner(defs, { clockMs: () => 0 })).not.toThrow()
  })
})

describe('Tianhe tasks, scripted end to end', () => {
  it('1. morning station check: read four live values, acknowledge the alarm', () => {
    const { world, runner, advance, act } = session()
    runner.start('morning-check')
    advance(3)
    expect(act({ type: 'press', fixture: 'console-main' }).outcome).toBe('advanced')
    for (const q of ['pressure', 'o2', 'co2', 'temperature'] as const) {
      advance(2)
      expect(act({ type: 'read', fixture: 'console-main', value: readLifeSupport(world.lifeSupport, q) }).outcome).toBe('advanced')
    }
    expect(world.lifeSupport.alarms.some((a) => a.active && !a.acknowledged)).toBe(true)
    expect(act({ type: 'ack', fixture: 'alarm-ack' }).outcome).toBe('completed')
    expect(runner.progress('morning-check')).toMatchObject({ state: 'done', mistakes: 0, pointsEarned: 55, timeBonus: 20, score: 75 })
  })

  it('1b. a misread value is a mistake', () => {
    const { world, runner, act } = session()
    runner.start('morning-check')
    act({ type: 'press', fixture: 'console-main' })
    const p = readLifeSupport(world.lifeSupport, 'pressure')
    expect(act({ type: 'read', fixture: 'console-main', value: p + 1 })).toMatchObject({ outcome: 'mistake', code: 'wrong-value' })
    expect(act({ type: 'read', fixture: 'console-main', value: p + 0.1 }).outcome).toBe('advanced')
  })

  it('2. cargo transfer: unload every bag and stow it where the list says (with one recovery)', () => {
    const { world, runner, events, advance, act } = session()
    runner.start('cargo-transfer')
    act({ type: 'turn', fixture: 'hatch-tianzhou', value: 'open' })
    const bags = Object.keys(DEFAULT_STOWAGE_LIST)
    bags.forEach((bag, i) => {
      advance(1)
      expect(act({ type: 'grab', fixture: 'hatch-tianzhou', item: bag }).outcome).toBe('advanced')
      if (i === 1) {
        // Wrong slot: a mistake, the bag really is there now, and the task branches to retrieve it.
        expect(act({ type: 'place', fixture: 'stowage-s07', item: bag })).toMatchObject({ outcome: 'mistake', code: 'wrong-fixture' })
        expect(world.stowage['stowage-s07']).toBe(bag)
        expect(runner.currentStep()?.id).toBe(`retrieve-${bag}`)
        expect(act({ type: 'grab', fixture: 'stowage-s07', item: bag }).outcome).toBe('advanced')
        expect(runner.currentStep()?.id).toBe(`stow-${bag}`)
      }
      expect(act({ type: 'place', fixture: DEFAULT_STOWAGE_LIST[bag], item: bag }).outcome).toBe('advanced')
    })
    expect(act({ type: 'ack', fixture: 'console-main' }).outcome).toBe('completed')
    for (const bag of bags) expect(world.stowage[DEFAULT_STOWAGE_LIST[bag]]).toBe(bag)
    expect(world.tianzhouCargo).toEqual([])
    expect(runner.progress('cargo-transfer')).toMatchObject({ state: 'done', mistakes: 1 })
    expect(events.some((e) => e.type === 'branch')).toBe(true)
  })

  it('2b. taking two bags at once completes the next unload step by itself', () => {
    const { runner, act } = session()
    runner.start('cargo-transfer')
    act({ type: 'turn', fixture: 'hatch-tianzhou', value: 'open' })
    act({ type: 'grab', fixture: 'hatch-tianzhou', item: 'bag-01' })
    // bag-02 now in the other hand: the engine judges it against "stow bag-01" (ignored: other type/fixture).
    expect(act({ type: 'grab', fixture: 'hatch-tianzhou', item: 'bag-02' }).outcome).toBe('ignored')
    act({ type: 'place', fixture: 'stowage-s03', item: 'bag-01' })
    expect(runner.currentStep()?.id).toBe('stow-bag-02')
  })

  it('3. filter replacement: open, unlatch, swap, latch, close, verify the pressure drop', () => {
    const { world, runner, advance, act } = session()
    runner.start('filter-replacement')
    expect(world.lifeSupport.filterDpKPa).toBeGreaterThan(1)
    // Pulling a latched cartridge does nothing (and the step order says unlatch first).
    act({ type: 'turn', fixture: 'filter-panel', value: 'open' })
    expect(act({ type: 'grab', fixture: 'filter-slot', item: 'cartridge-old' })).toMatchObject({ outcome: 'mistake', code: 'wrong-action' })
    expect(world.lifeSupport.cartridge).toBe('old')
    act({ type: 'turn', fixture: 'filter-slot', value: 'unlocked' })
    act({ type: 'grab', fixture: 'filter-slot', item: 'cartridge-old' })
    act({ type: 'place', fixture: 'stowage-waste', item: 'cartridge-old' })
    act({ type: 'grab', fixture: 'stowage-s08', item: 'cartridge-new' })
    act({ type: 'place', fixture: 'filter-slot', item: 'cartridge-new' })
    act({ type: 'turn', fixture: 'filter-slot', value: 'locked' })
    act({ type: 'turn', fixture: 'filter-panel', value: 'closed' })
    expect(runner.currentStep()?.id).toBe('verify-dp')
    // Too early: the gauge is still settling → rejected, not a mistake.
    expect(act({ type: 'read', fixture: 'filter-panel', value: readLifeSupport(world.lifeSupport, 'filter-dp') }).outcome).toBe('rejected')
    advance(15)
    const dp = readLifeSupport(world.lifeSupport, 'filter-dp')
    expect(dp).toBeGreaterThanOrEqual(0.3)
    expect(dp).toBeLessThanOrEqual(0.8)
    expect(act({ type: 'read', fixture: 'filter-panel', value: dp }).outcome).toBe('completed')
    expect(world.stowage['stowage-waste']).toBe('cartridge-old')
    expect(runner.progress('filter-replacement')).toMatchObject({ state: 'done', mistakes: 1 })
  })

  it('4. robotic arm: power, mode, grip both sticks, drive to the target, brake', () => {
    const { world, runner, advance, act } = session()
    runner.start('robotic-arm')
    act({ type: 'press', fixture: 'arm-console', value: 'power-on' })
    act({ type: 'turn', fixture: 'arm-console', value: 'cartesian' })
    act({ type: 'grab', fixture: 'arm-joystick-left' })
    act({ type: 'grab', fixture: 'arm-joystick-right' })
    expect(runner.currentStep()?.id).toBe('drive-to-target')
    const stick = new Vector3()
    const none = { x: 0, y: 0, z: 0 }
    let t = 0
    while (runner.currentStep()?.id === 'drive-to-target' && t < 200) {
      // The operator pushes the translation stick toward the target, easing off near it.
      advance(0.5, (w) => {
        stick.copy(w.armTarget).sub(w.arm.eePosition)
        stick.multiplyScalar(Math.min(1, stick.length() / 0.5) / Math.max(stick.length(), 1e-9))
        setArmJoysticks(w, stick, none)
      })
      t += 0.5
    }
    setArmJoysticks(world, none, none)
    expect(armTargetDistance(world)).toBeLessThanOrEqual(0.3)
    expect(runner.currentStep()?.id).toBe('apply-brakes')
    expect(act({ type: 'press', fixture: 'arm-console', value: 'brake' }).outcome).toBe('completed')
    // Braked: the sticks no longer move it.
    const tip = world.arm.eePosition.clone()
    advance(1, (w) => setArmJoysticks(w, { x: 1, y: 0, z: 0 }, none))
    expect(world.arm.eePosition.distanceTo(tip)).toBe(0)
    expect(runner.progress('robotic-arm').state).toBe('done')
  })

  it('5. Tiangong classroom: the ball stays put in the water ball for 5 s', () => {
    const { world, runner, advance, act } = session()
    runner.start('tiangong-classroom')
    act({ type: 'press', fixture: 'water-ball-station' })
    act({ type: 'grab', fixture: 'water-ball-station', item: 'ping-pong-ball' })
    act({ type: 'place', fixture: 'water-ball', item: 'ping-pong-ball' })
    expect(runner.currentStep()?.id).toBe('observe')
    const start = world.waterBall.ballPosition.clone()
    advance(4.9)
    expect(runner.currentStep()?.id).toBe('observe')
    advance(0.2)
    expect(runner.currentStep()?.id).toBe('explain')
    expect(world.waterBall.ballPosition.distanceTo(start)).toBe(0)
    expect(act({ type: 'ack', fixture: 'water-ball-station', value: 'surface-tension' })).toMatchObject({ outcome: 'mistake', code: 'wrong-value' })
    expect(act({ type: 'ack', fixture: 'water-ball-station', value: CLASSROOM_ANSWERS[0].value }).outcome).toBe('completed')
  })

  it('6. treadmill: harness on, run N seconds, stop', () => {
    const { world, runner, advance, act } = session()
    runner.start('treadmill-exercise')
    // Without the harness the treadmill will not start (and that press is not this step's business).
    expect(act({ type: 'press', fixture: 'treadmill', value: 'start' }).outcome).toBe('ignored')
    expect(world.treadmill.running).toBe(false)
    act({ type: 'grab', fixture: 'treadmill-harness' })
    act({ type: 'press', fixture: 'treadmill', value: 'start' })
    advance(59)
    expect(runner.currentStep()?.id).toBe('run')
    advance(1.1)
    expect(runner.currentStep()?.id).toBe('stop-treadmill')
    expect(act({ type: 'press', fixture: 'treadmill', value: 'stop' }).outcome).toBe('completed')
    expect(world.treadmill.running).toBe(false)
  })

  it('all tasks in one session; the snapshot is JSON with one row per task', () => {
    const { runner, act, world } = session()
    runner.start('treadmill-exercise')
    runner.abort()
    runner.start('tiangong-classroom')
    act({ type: 'press', fixture: 'water-ball-station' })
    const snap = runner.snapshot()
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap)
    expect(snap.find((r) => r.id === 'treadmill-exercise')?.state).toBe('failed')
    expect(snap.find((r) => r.id === 'tiangong-classroom')).toMatchObject({ state: 'active', step: 'take-ball', stepIndex: 1 })
    expect(world.waterBall.active).toBe(true)
  })
})
