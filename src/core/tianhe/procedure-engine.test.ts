import { describe, expect, it } from 'vitest'
import { createManualClock } from '../time/clock'
import { createProcedureRunner, type ProcedureDefinition, type ProcedureEvent } from './procedure-engine'

interface World {
  gauge: number
  valveOpen: boolean
  sealed: boolean
  ready: boolean
}

const t = (en: string) => ({ zh: `（${en}）`, en })

function definitions(): ProcedureDefinition<World>[] {
  return [
    {
      id: 'demo',
      title: t('Demo'),
      parTimeS: 60,
      steps: [
        { id: 'open', text: t('Open valve'), hint: t('Turn the valve'), action: { type: 'turn', fixture: 'valve', value: 'open' }, verify: (w) => w.valveOpen, points: 10 },
        {
          id: 'read',
          text: t('Read gauge'),
          hint: t('Look at the gauge'),
          action: { type: 'read', fixture: 'gauge', value: (w) => w.gauge, tolerance: 0.1 },
          onError: { 'wrong-value': 'recheck' },
          points: 20,
        },
        {
          id: 'seal',
          text: t('Check seal'),
          hint: t('Press test'),
          precondition: (w) => w.ready,
          action: { type: 'press', fixture: 'seal-test' },
          verify: (w) => w.sealed,
          points: 10,
        },
        { id: 'recheck', text: t('Re-check the gauge with the spare meter'), hint: t('Spare meter'), action: { type: 'read', fixture: 'spare-meter' }, branch: true, next: 'read', points: 5 },
      ],
    },
    {
      id: 'timed',
      title: t('Timed'),
      steps: [
        { id: 'quick', text: t('Quick'), hint: t('Hurry'), action: { type: 'press', fixture: 'button' }, timeLimitS: 10, onError: { timeout: 'slow' }, points: 5 },
        { id: 'slow', text: t('Slow path'), hint: t('Any time'), action: { type: 'press', fixture: 'button' }, timeLimitS: 10, points: 1, branch: true },
      ],
    },
    {
      id: 'watch',
      title: t('Watch'),
      steps: [{ id: 'wait', text: t('Wait until ready'), hint: t('Wait'), action: { type: 'read', fixture: 'lamp' }, verify: (w) => w.ready, auto: true, points: 3 }],
    },
  ]
}

function setup() {
  const clock = createManualClock(1000)
  const world: World = { gauge: 101.3, valveOpen: false, sealed: true, ready: true }
  const runner = createProcedureRunner(definitions(), { clockMs: clock.now, world: () => world, hintCost: 5, mistakePenalty: 3, timeBonusMax: 20 })
  const events: ProcedureEvent[] = []
  runner.on((e) => events.push(e))
  return { clock, world, runner, events }
}

describe('procedure engine', () => {
  it('runs the happy path with points, time bonus and events', () => {
    const { clock, world, runner, events } = setup()
    expect(runner.snapshot()[0]).toEqual({ id: 'demo', state: 'pending', step: null, stepIndex: -1, score: 0, mistakes: 0, elapsedMs: 0 })
    runner.start('demo')
    expect(runner.currentStep()?.id).toBe('open')
    clock.advance(5000)
    world.valveOpen = true
    expect(runner.dispatch({ type: 'turn', fixture: 'valve', value: 'open' }).outcome).toBe('advanced')
    clock.advance(5000)
    expect(runner.dispatch({ type: 'read', fixture: 'gauge', value: 101.35 }).outcome).toBe('advanced')
    clock.advance(5000)
    const r = runner.dispatch({ type: 'press', fixture: 'seal-test' })
    expect(r.outcome).toBe('completed')
    const row = runner.snapshot()[0]
    expect(row).toEqual({ id: 'demo', state: 'done', step: null, stepIndex: 4, score: 40 + 20, mistakes: 0, elapsedMs: 15000 })
    expect(runner.activeTaskId()).toBeNull()
    expect(events.map((e) => e.type)).toEqual([
      'task-started',
      'step-started',
      'step-completed',
      'step-started',
      'step-completed',
      'step-started',
      'step-completed',
      'task-completed',
    ])
    expect(events.at(-1)?.score).toBe(60)
    // Events are plain JSON.
    expect(JSON.parse(JSON.stringify(events))).toEqual(events)
  })

  it('records wrong fixture / action / value as mistakes and follows the error branch', () => {
    const { world, runner, events } = setup()
    runner.start('demo')
    world.valveOpen = true
    // Unrelated action (other type, other fixture): ignored, no mistake.
    expect(runner.dispatch({ type: 'grab', fixture: 'handrail' }).outcome).toBe('ignored')
    expect(runner.dispatch({ type: 'turn', fixture: 'hatch', value: 'open' })).toMatchObject({ outcome: 'mistake', code: 'wrong-fixture' })
    expect(runner.dispatch({ type: 'press', fixture: 'valve' })).toMatchObject({ outcome: 'mistake', code: 'wrong-action' })
    expect(runner.dispatch({ type: 'turn', fixture: 'valve', value: 'closed' })).toMatchObject({ outcome: 'mistake', code: 'wrong-value' })
    expect(runner.currentStep()?.id).toBe('open')
    runner.dispatch({ type: 'turn', fixture: 'valve', value: 'open' })
    // Misread the gauge → branch to the spare-meter re-check, which returns to 'read'.
    expect(runner.dispatch({ type: 'read', fixture: 'gauge', value: 99 })).toMatchObject({ outcome: 'mistake', code: 'wrong-value' })
    expect(runner.currentStep()?.id).toBe('recheck')
    expect(events.filter((e) => e.type === 'branch').at(-1)).toMatchObject({ stepId: 'read', toStepId: 'recheck', code: 'wrong-value' })
    expect(runner.dispatch({ type: 'read', fixture: 'spare-meter' }).outcome).toBe('advanced')
    expect(runner.currentStep()?.id).toBe('read')
    runner.dispatch({ type: 'read', fixture: 'gauge', value: 101.3 })
    // Precondition not met: rejected, not a mistake.
    world.ready = false
    expect(runner.dispatch({ type: 'press', fixture: 'seal-test' })).toMatchObject({ outcome: 'rejected', code: 'precondition-failed' })
    world.ready = true
    // Verification fails → mistake; fix the world and retry.
    world.sealed = false
    expect(runner.dispatch({ type: 'press', fixture: 'seal-test' })).toMatchObject({ outcome: 'mistake', code: 'verify-failed' })
    world.sealed = true
    expect(runner.dispatch({ type: 'press', fixture: 'seal-test' }).outcome).toBe('completed')
    const p = runner.progress('demo')
    expect(p.mistakes).toBe(5)
    expect(p.mistakeLog.map((m) => m.code)).toEqual(['wrong-fixture', 'wrong-action', 'wrong-value', 'wrong-value', 'verify-failed'])
    expect(p.mistakeLog[0].action).toBe('turn hatch open')
    // 10 + 20 + 10 + 5 (branch step) − 5 × 3 + full time bonus 20 (no clock time passed).
    expect(p.pointsEarned).toBe(45)
    expect(p.score).toBe(45 - 15 + 20)
  })

  it('charges for a hint once per step', () => {
    const { runner, events } = setup()
    expect(runner.requestHint()).toBeNull()
    runner.start('demo')
    expect(runner.requestHint()).toEqual({ zh: '（Turn the valve）', en: 'Turn the valve' })
    expect(runner.requestHint()?.en).toBe('Turn the valve')
    expect(runner.progress('demo').hintsUsed).toBe(1)
    expect(events.filter((e) => e.type === 'hint')).toHaveLength(1)
    runner.abort()
    expect(runner.progress('demo')).toMatchObject({ state: 'failed', failure: 'aborted', score: 0, step: 'open' })
  })

  it('times tasks and scales the time bonus between par and twice par', () => {
    const { clock, world, runner } = setup()
    world.valveOpen = true
    runner.start('demo')
    runner.dispatch({ type: 'turn', fixture: 'valve', value: 'open' })
    runner.dispatch({ type: 'read', fixture: 'gauge', value: 101.3 })
    clock.advance(90_000) // 1.5 × par → half the bonus
    expect(runner.snapshot()[0].elapsedMs).toBe(90_000)
    runner.dispatch({ type: 'press', fixture: 'seal-test' })
    expect(runner.progress('demo')).toMatchObject({ timeBonus: 10, score: 50, elapsedMs: 90_000 })
    clock.advance(10_000)
    expect(runner.snapshot()[0].elapsedMs).toBe(90_000) // frozen once done
  })

  it('turns a step timeout into a mistake and follows the timeout branch, or fails the task', () => {
    const { clock, runner, events } = setup()
    runner.start('timed')
    clock.advance(10_001)
    runner.tick()
    expect(runner.currentStep()?.id).toBe('slow')
    expect(runner.progress('timed').mistakeLog[0].code).toBe('timeout')
    clock.advance(10_001)
    runner.tick()
    expect(runner.progress('timed')).toMatchObject({ state: 'failed', failure: 'timeout', mistakes: 2 })
    expect(events.at(-1)).toMatchObject({ type: 'task-failed', reason: 'timeout' })
  })

  it('completes auto steps on tick once verification passes', () => {
    const { world, runner } = setup()
    world.ready = false
    runner.start('watch')
    runner.tick()
    expect(runner.progress('watch').state).toBe('active')
    expect(runner.dispatch({ type: 'read', fixture: 'lamp' }).outcome).toBe('waiting')
    world.ready = true
    runner.tick()
    expect(runner.progress('watch')).toMatchObject({ state: 'done', score: 3 })
  })

  it('allows one active task at a time and restarts finished tasks', () => {
    const { world, runner } = setup()
    world.ready = false
    runner.start('watch')
    expect(() => runner.start('demo')).toThrow(/active/)
    expect(() => runner.start('nope')).toThrow()
    world.ready = true
    runner.tick()
    runner.start('watch')
    expect(runner.progress('watch').state).toBe('done') // auto step already true on start
  })

  it('serialises and restores mid-task, re-basing time on the new clock', () => {
    const a = setup()
    a.world.valveOpen = true
    a.runner.start('demo')
    a.clock.advance(4000)
    a.runner.dispatch({ type: 'turn', fixture: 'valve', value: 'wrong' })
    a.runner.dispatch({ type: 'turn', fixture: 'valve', value: 'open' })
    a.runner.requestHint()
    a.clock.advance(3000)
    const save = JSON.parse(JSON.stringify(a.runner.serialize()))

    const b = setup()
    b.clock.set(50_000)
    b.runner.restore(save)
    expect(b.runner.snapshot()).toEqual(a.runner.snapshot())
    expect(b.runner.activeTaskId()).toBe('demo')
    expect(b.runner.currentStep()?.id).toBe('read')
    expect(b.runner.progress('demo')).toMatchObject({ hintsUsed: 1, mistakes: 1, pointsEarned: 10 })
    b.clock.advance(1000)
    expect(b.runner.snapshot()[0].elapsedMs).toBe(8000)
    b.runner.dispatch({ type: 'read', fixture: 'gauge', value: 101.3 })
    expect(b.runner.dispatch({ type: 'press', fixture: 'seal-test' }).outcome).toBe('completed')
    expect(() => b.runner.restore({ ...save, version: 2 })).toThrow()
  })

  it('snapshot rows are JSON-serialisable with the documented shape', () => {
    const { runner } = setup()
    runner.start('demo')
    const snap = runner.snapshot()
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap)
    expect(snap.map((r) => r.id)).toEqual(['demo', 'timed', 'watch'])
    for (const row of snap) expect(Object.keys(row).sort()).toEqual(['elapsedMs', 'id', 'mistakes', 'score', 'state', 'step', 'stepIndex'])
    expect(snap[0]).toMatchObject({ state: 'active', step: 'open', stepIndex: 0 })
  })

  it('rejects broken definitions up front', () => {
    const clockMs = () => 0
    const step = { id: 's', text: t('s'), hint: t('s'), action: { type: 'press' as const, fixture: 'x' }, points: 1 }
    expect(() => createProcedureRunner([{ id: 'a', title: t('a'), steps: [step, step] }], { clockMs })).toThrow(/duplicate step/)
    expect(() => createProcedureRunner([{ id: 'a', title: t('a'), steps: [{ ...step, onError: { 'wrong-value': 'missing' } }] }], { clockMs })).toThrow(/unknown target/)
    expect(() => createProcedureRunner([{ id: 'a', title: t('a'), steps: [{ ...step, branch: true }] }], { clockMs })).toThrow(/main-sequence/)
    expect(() => createProcedureRunner([{ id: 'a', title: t('a'), steps: [step] }, { id: 'a', title: t('a'), steps: [step] }], { clockMs })).toThrow(/duplicate task/)
  })

  it('fails a task after too many mistakes', () => {
    const clock = createManualClock()
    const runner = createProcedureRunner(
      [{ id: 'strict', title: t('Strict'), maxMistakes: 1, steps: [{ id: 'a', text: t('a'), hint: t('a'), action: { type: 'press', fixture: 'ok' }, points: 1 }] }],
      { clockMs: clock.now },
    )
    runner.start('strict')
    runner.dispatch({ type: 'press', fixture: 'bad' })
    expect(runner.progress('strict').state).toBe('active')
    runner.dispatch({ type: 'press', fixture: 'bad' })
    expect(runner.progress('strict')).toMatchObject({ state: 'failed', failure: 'too-many-mistakes' })
    expect(runner.dispatch({ type: 'press', fixture: 'ok' }).outcome).toBe('inactive')
  })
})
