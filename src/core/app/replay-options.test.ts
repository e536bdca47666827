import { describe, expect, it } from 'vitest'
import { createAppError } from './app-errors'
import { parseAppOptions } from './options'

describe('replay options', () => {
  it('defaults to realtime playback and reads ?replayMode=deterministic', () => {
    expect(parseAppOptions('?replay=hub/portal-to-tianhe', [])).toMatchObject({ replay: 'hub/portal-to-tianhe', replayMode: 'realtime', warnings: [] })
    expect(parseAppOptions('?replay=hub/portal-to-tianhe&replayMode=deterministic', [])).toMatchObject({ replayMode: 'deterministic', warnings: [] })
    expect(parseAppOptions('?replayMode=realtime', []).replayMode).toBe('realtime')
  })

  it('warns about a replay mode it does not know and keeps realtime', () => {
    const options = parseAppOptions('?replay=a&replayMode=fast', [])
    expect(options.replayMode).toBe('realtime')
    expect(options.warnings).toEqual(['replayMode=fast'])
  })

  it('reads ?drawEvery=N from 1 to 30 and warns about anything else', () => {
    expect(parseAppOptions('?replay=a&replayMode=deterministic', []).drawEvery).toBe(1)
    expect(parseAppOptions('?replay=a&replayMode=deterministic&drawEvery=8', [])).toMatchObject({ drawEvery: 8, warnings: [] })
    for (const bad of ['0', '31', '-2', '2.5', 'x', '']) {
      const options = parseAppOptions(`?drawEvery=${bad}`, [])
      expect(options.drawEvery, bad).toBe(1)
      expect(options.warnings, bad).toEqual([`drawEvery=${bad}`])
    }
  })

  it('accepts replay names as path segments inside xr-sessions/ only', () => {
    expect(parseAppOptions('?replay=hub/portal-to-tianhe.json', []).replay).toBe('hub/portal-to-tianhe')
    for (const bad of ['../secret', '/abs', 'a//b', 'a/../b', 'https://x.test/y', 'a b']) {
      const options = parseAppOptions(`?replay=${encodeURIComponent(bad)}`, [])
      expect(options.replay, bad).toBeNull()
      expect(options.warnings, bad).toHaveLength(1)
    }
  })
})

describe('recording-invalid error', () => {
  it('explains in both languages, carries the validator message as detail and only offers dismiss', () => {
    const error = createAppError('recording-invalid', 'Frame 3: head quaternion has length 1.2')
    expect(error.title.en).toMatch(/cannot be replayed/)
    expect(error.title.zh).toMatch(/回放/)
    expect(error.body.en).toMatch(/keeps running/)
    expect(error.body.zh.length).toBeGreaterThan(10)
    expect(error.detail).toBe('Frame 3: head quaternion has length 1.2')
    expect(error.actions).toEqual(['dismiss'])
  })
})
