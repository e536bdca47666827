import { describe, expect, it } from 'vitest'
import { createManualClock } from '../time/clock'
import { checkCrewStep, createCrewProcedures, crewStepKey, mergeCrewSteps, parseCrewStepKey } from './crew-steps'
import { createProcedureRunner } from './procedure-engine'
import { createTianheTasks, performTianheAction } from './tasks'
import { createTianheWorld } from './tianhe-world'

const procedures = createCrewProcedures(createTianheTasks())
const k = crewStepKey

function crewMember() {
  const clock = createManualClock(0)
  const world = createTianheWorld({ seed: 7 })
  const runner = createProcedureRunner(createTianheTasks(), { clockMs: clock.now, world: () => world })
  return { clock, world, runner }
}

describe('crew step keys and the server rule', () => {
  it('parses only task/step keys of plain ids', () => {
    expect(parseCrewStepKey('morning-check/wake-console')).toEqual({ taskId: 'morning-check', stepId: 'wake-console' })
    for (const bad of ['wake-console', 'a/b/c', 'A/b', '/x', 'x/', 'x'.repeat(40) + '/y', 42, null]) expect(parseCrewStepKey(bad)).toBeNull()
  })

  it('accepts existing steps in order, refuses unknown ones and skipped ones', () => {
    const done = new Set<string>()
    expect(checkCrewStep(procedures, done, 'morning-check/no-such-step')).toBe('task-unknown')
    expect(checkCrewStep(procedures, done, 'no-such-task/wake-console')).toBe('task-unknown')
    expect(checkCrewStep(procedures, done, 'morning-check')).toBe('task-malformed')
    // Reading the pressure before the console is awake skips a step.
    expect(checkCrewStep(procedures, done, k('morning-check', 'read-pressure'))).toBe('task-order')
    expect(checkCrewStep(procedures, done, k('morning-check', 'wake-console'))).toBeNull()
    done.add(k('morning-check', 'wake-console'))
    expect(checkCrewStep(procedures, done, k('morning-check', 'read-pressure'))).toBeNull()
    // Already done: allowed (changes nothing), so two crew members finishing together is no error.
    expect(checkCrewStep(procedures, done, k('morning-check', 'wake-console'))).toBeNull()
    // Each task has its own order: the first step of another task is always allowed.
    expect(checkCrewStep(procedures, done, k('filter-replacement', 'open-panel'))).toBeNull()
  })

  it('a repair branch is allowed once the crew is at the step that branches into it', () => {
    const done = new Set<string>()
    expect(checkCrewStep(procedures, done, k('filter-replacement', 'reseat-lock'))).toBe('task-order')
    for (const s of ['open-panel', 'unlock-cartridge', 'remove-old', 'stow-old', 'fetch-new', 'install-new', 'lock-cartridge', 'close-panel']) {
      expect(checkCrewStep(procedures, done, k('filter-replacement', s))).toBeNull()
      done.add(k('filter-replacement', s))
    }
    // At verify-dp (not done yet), every step of its reseat chain is allowed.
    expect(checkCrewStep(procedures, done, k('filter-replacement', 'reseat-open'))).toBeNull()
    expect(checkCrewStep(procedures, done, k('filter-replacement', 'reseat-close'))).toBeNull()
  })
})

describe('merging the crew steps into a runner', () => {
  it('a step a crew mate did is done here too: the visitor joins the task where it stands', () => {
    const ada = crewMember()
    const bo = crewMember()
    ada.runner.start('morning-check')
    expect(performTianheAction(ada.world, ada.runner, { type: 'press', fixture: 'console-main' }).outcome).toBe('advanced')
    const shared = [k('morning-check', 'wake-console')]
    const merged = mergeCrewSteps(bo.runner, shared)
    expect(merged).toEqual([{ taskId: 'morning-check', stepId: 'wake-console', action: { type: 'press', fixture: 'console-main', item: undefined, value: undefined } }])
    expect(bo.runner.activeTaskId()).toBe('morning-check')
    expect(bo.runner.currentStep()?.id).toBe('read-pressure')
    expect(bo.runner.progress('morning-check').completedSteps).toEqual(['wake-console'])
    // Idempotent: the same set again changes nothing.
    expect(mergeCrewSteps(bo.runner, shared)).toEqual([])
    expect(bo.runner.currentStep()?.id).toBe('read-pressure')
  })

  it('moves a visitor on the same task past the steps the crew did, and completes it with the last one', () => {
    const bo = crewMember()
    bo.runner.start('morning-check')
    const steps = ['wake-console', 'read-pressure', 'read-o2']
    mergeCrewSteps(bo.runner, steps.map((s) => k('morning-check', s)))
    expect(bo.runner.currentStep()?.id).toBe('read-co2')
    // A reading step's value depends on the world, so it carries no action to replay.
    expect(mergeCrewSteps(bo.runner, [k('morning-check', 'read-co2')])[0].action).toBeNull()
    mergeCrewSteps(bo.runner, ['read-temperature', 'ack-alarm'].map((s) => k('morning-check', s)))
    expect(bo.runner.activeTaskId()).toBeNull()
    expect(bo.runner.progress('morning-check').state).toBe('done')
    expect(bo.runner.snapshot().find((t) => t.id === 'morning-check')?.state).toBe('done')
  })

  it('a visitor busy with another task keeps it; a visitor fixing a mistake on a branch stays there', () => {
    const bo = crewMember()
    bo.runner.start('tiangong-classroom')
    mergeCrewSteps(bo.runner, [k('morning-check', 'wake-console')])
    expect(bo.runner.activeTaskId()).toBe('tiangong-classroom')
    // Starting the crew's task later and merging again puts the crew's steps in.
    bo.runner.abort()
    bo.runner.start('morning-check')
    expect(bo.runner.currentStep()?.id).toBe('wake-console')
    expect(mergeCrewSteps(bo.runner, [k('morning-check', 'wake-console')])).toHaveLength(1)
    expect(bo.runner.currentStep()?.id).toBe('read-pressure')

    const cy = crewMember()
    const main = ['open-panel', 'unlock-cartridge', 'remove-old', 'stow-old', 'fetch-new', 'install-new', 'lock-cartridge', 'close-panel']
    mergeCrewSteps(cy.runner, main.map((s) => k('filter-replacement', s)))
    expect(cy.runner.currentStep()?.id).toBe('verify-dp')
    const save = cy.runner.serialize()
    const row = save.tasks.find((t) => t.id === 'filter-replacement')!
    row.stepIndex = cy.runner.definitions.find((d) => d.id === 'filter-replacement')!.steps.findIndex((s) => s.id === 'reseat-open')
    cy.runner.restore(save)
    mergeCrewSteps(cy.runner, [k('filter-replacement', 'reseat-open')])
    expect(cy.runner.currentStep()?.id).toBe('reseat-open')
  })

  it('ignores keys that are not steps and earns each merged step its points once', () => {
    const bo = crewMember()
    expect(mergeCrewSteps(bo.runner, ['nonsense', 'no-task/x', 'morning-check/no-step'])).toEqual([])
    expect(bo.runner.activeTaskId()).toBeNull()
    mergeCrewSteps(bo.runner, [k('morning-check', 'wake-console')])
    mergeCrewSteps(bo.runner, [k('morning-check', 'wake-console')])
    expect(bo.runner.progress('morning-check').pointsEarned).toBe(5)
  })
})
