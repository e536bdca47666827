import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { decideGrab, decideRelease, validateItemState, type ItemLock, type LockHand } from '../../core/venue/item-locks'
import { findLooseItem, updateLooseItems } from '../../core/tianhe'
import { desktopSqueeze, type PickTargets } from './tianhe-controls'
import { applyCrewSteps, completedStepKey, createCrewLink, driftCrewItem, heldItemState, loseItem } from './tianhe-crew-link'
import { createTianheSession, performAction, startTask, type TianheSession } from './tianhe-session'

const targets = (): PickTargets => ({ proxies: null, proxyIds: [], items: [], tablet: null, onTablet: null, guide: null })
const TASK_ITEMS = new Set(['bag-01', 'bag-02', 'bag-03', 'bag-04', 'cartridge-old', 'cartridge-new', 'ping-pong-ball'])

/**
 * A crew of sessions over one lock table that follows the server's rules (decideGrab /
 * decideRelease, applied at once: the room's state without the network in between).
 */
function crew(names: string[]) {
  const locks = new Map<string, ItemLock>()
  const hands = new Map<string, Vector3>()
  // The room's item states as the server keeps them: a release with a state is written for everyone.
  const items = new Map<string, { s: number[]; free: boolean; seq: number }>()
  const members = names.map((name) => {
    const session = createTianheSession()
    const id = name.toLowerCase()
    hands.set(id, new Vector3(0.1, -0.2, -3).addScalar(names.indexOf(name)))
    session.crew = createCrewLink({
      locks: () => locks,
      selfId: () => id,
      grab(item, hand) {
        if (decideGrab(locks, (i) => TASK_ITEMS.has(i), id, { item, hand }) === 'granted') locks.set(item, { holder: id, name, hand })
      },
      release(item, _hand, state) {
        if (!decideRelease(locks, id, item)) return
        locks.delete(item)
        if (state) items.set(item, { s: [...state], free: true, seq: (items.get(item)?.seq ?? 0) + 1 })
      },
      itemState: (item) => items.get(item),
      handPose(holder: string, _hand: LockHand, position: Vector3, quaternion: Quaternion) {
        const at = hands.get(holder)
        if (!at) return false
        position.copy(at)
        quaternion.identity()
        return true
      },
    })
    return { id, name, session }
  })
  return { locks, hands, items, members }
}

const holds = (s: TianheSession) => s.hands.right.item

describe('Tianhe together in the module: item locks', () => {
  it('an item one crew member holds cannot be taken by another, who is told who holds it; letting go frees it', () => {
    const { locks, hands, members } = crew(['Ada', 'Bo'])
    const [ada, bo] = members
    desktopSqueeze(ada.session, 'item', 'cartridge-new', targets())
    expect(holds(ada.session)).toBe('cartridge-new')
    expect(locks.get('cartridge-new')).toEqual({ holder: 'ada', name: 'Ada', hand: 'right' })

    desktopSqueeze(bo.session, 'item', 'cartridge-new', targets())
    expect(holds(bo.session)).toBeNull()
    expect(bo.session.hands.right.holding).toBe('none')
    expect(bo.session.status).toEqual({ text: { zh: '由 Ada 拿着', en: 'Held by Ada' }, tone: 'bad' })
    // Bo's module still has the spare in its slot (Bo did not take it).
    expect(bo.session.world.stowage['stowage-s08']).toBe('cartridge-new')

    // Bo sees it where Ada's hand is; Ada does not follow her own lock.
    const p = new Vector3()
    const q = new Quaternion()
    expect(bo.session.crew!.heldPose('cartridge-new', p, q)).toBe(true)
    expect(p.toArray()).toEqual(hands.get('ada')!.toArray())
    expect(ada.session.crew!.heldPose('cartridge-new', p, q)).toBe(false)
    expect(bo.session.crew!.heldPose('bag-01', p, q)).toBe(false)

    // Ada lets it float (no fixture under the click): the lock goes, and Bo may take it.
    desktopSqueeze(ada.session, 'none', '', targets())
    expect(holds(ada.session)).toBeNull()
    expect(locks.has('cartridge-new')).toBe(false)
    desktopSqueeze(bo.session, 'item', 'cartridge-new', targets())
    expect(holds(bo.session)).toBe('cartridge-new')
    expect(locks.get('cartridge-new')?.holder).toBe('bo')
  })

  it('tools are personal: no lock, and no hint', () => {
    const { locks, members } = crew(['Ada', 'Bo'])
    desktopSqueeze(members[0].session, 'item', 'tool-wrench', targets())
    expect(holds(members[0].session)).toBe('tool-wrench')
    expect(locks.size).toBe(0)
  })

  it('a lock the server gave someone else first opens the hand, with the hint', () => {
    const { members } = crew(['Ada'])
    const ada = members[0].session
    desktopSqueeze(ada, 'item', 'cartridge-new', targets())
    loseItem(ada, 'cartridge-new', 'Bo')
    expect(ada.hands.right.holding).toBe('none')
    expect(ada.world.held).toEqual([])
    expect(ada.status?.text.en).toBe('Held by Bo')
  })
})

describe('Tianhe together in the module: shared steps', () => {
  it("a step one crew member completes is completed for the other, with the console it woke", () => {
    const { members } = crew(['Ada', 'Bo'])
    const [ada, bo] = members
    const sent: string[] = []
    ada.session.runner.on((e) => {
      const key = completedStepKey(e)
      if (key) sent.push(key)
    })
    startTask(ada.session, 'morning-check')
    performAction(ada.session, { type: 'press', fixture: 'console-main' })
    expect(sent).toEqual(['morning-check/wake-console'])

    const shared = new Map(sent.map((k) => [k, 'Ada']))
    expect(bo.session.world.consoleAwake).toBe(false)
    expect(applyCrewSteps(bo.session, shared)).toBe(1)
    expect(bo.session.runner.activeTaskId()).toBe('morning-check')
    expect(bo.session.runner.currentStep()?.id).toBe('read-pressure')
    expect(bo.session.world.consoleAwake).toBe(true)
    expect(bo.session.status?.text.en).toBe('Ada completed a step.')
    expect(bo.session.tabletPage).toBe('procedure')
    // The next reading is Bo's to do, and his runner judges it against his own (now awake) console.
    expect(bo.session.runner.currentStep()?.precondition?.(bo.session.world)).toBe(true)
    expect(applyCrewSteps(bo.session, shared)).toBe(0)
  })
})

describe('Tianhe together in the module: items of the crew steps', () => {
  it("a filter change a crew mate did leaves this module's filter changed too", () => {
    const { members } = crew(['Bo'])
    const bo = members[0].session
    const steps = ['open-panel', 'unlock-cartridge', 'remove-old', 'stow-old', 'fetch-new', 'install-new', 'lock-cartridge', 'close-panel']
    const shared = new Map(steps.map((s) => [`filter-replacement/${s}`, 'Ada']))
    expect(applyCrewSteps(bo, shared)).toBe(steps.length)
    const ls = bo.world.lifeSupport
    expect({ cartridge: ls.cartridge, locked: ls.cartridgeLocked, panelOpen: ls.panelOpen }).toEqual({ cartridge: 'new', locked: true, panelOpen: false })
    expect(bo.world.stowage['stowage-waste']).toBe('cartridge-old')
    expect(bo.world.stowage['stowage-s08']).toBeNull()
    expect(bo.world.held).toEqual([])
    // Bo is at the last check, which reads his own module's gauge.
    expect(bo.runner.currentStep()?.id).toBe('verify-dp')
  })

  it("an item in this visitor's own hand stays there", () => {
    const { members } = crew(['Bo'])
    const bo = members[0].session
    desktopSqueeze(bo, 'item', 'cartridge-new', targets())
    applyCrewSteps(bo, new Map([['filter-replacement/open-panel', 'Ada'], ['filter-replacement/unlock-cartridge', 'Ada'], ['filter-replacement/remove-old', 'Ada'], ['filter-replacement/stow-old', 'Ada'], ['filter-replacement/fetch-new', 'Ada']]))
    expect(holds(bo)).toBe('cartridge-new')
    expect(bo.world.held).toEqual(['cartridge-new'])
    expect(bo.world.stowage['stowage-waste']).toBe('cartridge-old')
  })
})

describe('Tianhe together in the module: loose items drift the same way for the crew', () => {
  it("an item a crew mate lets go of floating drifts here from the very state it left their hand with", () => {
    const { items, hands, members } = crew(['Ada', 'Bo'])
    const [ada, bo] = members
    desktopSqueeze(ada.session, 'item', 'cartridge-new', targets())
    // Ada's hand moves it into the cabin and flicks it as it lets go.
    const hand = ada.session.hands.right
    hand.world.set(0.3, 0.2, -5)
    hand.velocity.set(0.4, 0.1, -0.6)
    const held = heldItemState(ada.session, 'cartridge-new', new Array<number>(13))
    expect(held && validateItemState(held)).toBeNull()
    desktopSqueeze(ada.session, 'none', '', targets())
    const release = items.get('cartridge-new')!
    expect(release.free).toBe(true)
    expect(validateItemState(release.s)).toBeNull()
    expect(release.s.slice(0, 3)).toEqual([0.3, 0.2, -5])
    expect(release.s.slice(7, 10)).toEqual([0.4, 0.1, -0.6])
    const adaItem = findLooseItem(ada.session.items, 'cartridge-new')!
    expect(adaItem.free).toBe(true)

    // Bo's module still had it in the stowage slot (Ada's hand carried it there only in his view).
    expect(bo.session.world.stowage['stowage-s08']).toBe('cartridge-new')
    expect(driftCrewItem(bo.session, 'cartridge-new', release.s)).toBe(true)
    expect(bo.session.world.stowage['stowage-s08']).toBeNull()
    expect(bo.session.world.held).toEqual([])
    const boItem = findLooseItem(bo.session.items, 'cartridge-new')!
    expect(boItem.free).toBe(true)
    // Two seconds on, at their own frame rates, the same place.
    for (let i = 0; i < 180; i++) updateLooseItems(ada.session.items, 1 / 90, ada.session.layout.hull)
    for (let i = 0; i < 144; i++) updateLooseItems(bo.session.items, 1 / 72, bo.session.layout.hull)
    expect(adaItem.position.distanceTo(new Vector3(0.3, 0.2, -5))).toBeGreaterThan(0.5)
    expect(boItem.position.distanceTo(adaItem.position)).toBeLessThan(0.01)
    expect(hands.size).toBe(2)
  })

  it('an item in the own hand is not taken away by a crew mate\'s release; a placed item sends no state', () => {
    const { items, members } = crew(['Ada', 'Bo'])
    const [ada, bo] = members
    desktopSqueeze(bo.session, 'item', 'cartridge-new', targets())
    expect(driftCrewItem(bo.session, 'cartridge-new', [0, 0, -5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])).toBe(false)
    expect(holds(bo.session)).toBe('cartridge-new')
    desktopSqueeze(ada.session, 'item', 'bag-01', targets())
    ada.session.crew!.letGo('bag-01', 'right', null)
    expect(items.has('bag-01')).toBe(false)
  })

  it("shows an item where its holder last reported it while their hand is not seen", () => {
    const { items, hands, members } = crew(['Ada', 'Bo'])
    const [ada, bo] = members
    desktopSqueeze(ada.session, 'item', 'cartridge-new', targets())
    hands.delete('ada')
    const p = new Vector3()
    const q = new Quaternion()
    expect(bo.session.crew!.heldPose('cartridge-new', p, q)).toBe(false)
    items.set('cartridge-new', { s: [1, 2, -3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], free: false, seq: 1 })
    expect(bo.session.crew!.heldPose('cartridge-new', p, q)).toBe(true)
    expect(p.toArray()).toEqual([1, 2, -3])
  })
})

