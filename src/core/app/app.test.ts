import { describe, expect, it } from 'vitest'
import { createBroadcastContextLostError, createBroadcastInterruptedError, createFrameSystemError } from './app-errors'
import { languageFromPreferences, MAX_WORK_PER_MS, parseAppOptions, parseWorkPerMs } from './options'
import { matchRoute, ROUTES } from './routes'

describe('routes', () => {
  it('matches every route, with or without trailing slash and index.html', () => {
    for (const route of ROUTES) {
      expect(matchRoute(route.path)?.experience).toBe(route.experience)
      expect(matchRoute(`${route.path === '/' ? '' : route.path}/`)?.experience).toBe(route.experience)
      expect(matchRoute(`${route.path === '/' ? '' : route.path}/index.html`)?.experience).toBe(route.experience)
    }
  })
  it('returns null for unknown paths', () => {
    expect(matchRoute('/nowhere')).toBeNull()
  })
  it('offers AR on the mascot route', () => {
    expect(matchRoute('/mascot')?.modes).toContain('immersive-ar')
  })
})

describe('options', () => {
  it('defaults from the browser language', () => {
    expect(languageFromPreferences(['zh-CN', 'en'])).toBe('zh')
    expect(languageFromPreferences(['fr', 'en-GB'])).toBe('en')
    expect(languageFromPreferences([])).toBe('en')
  })
  it('parses every option', () => {
    const options = parseAppOptions('?lang=zh&emulate=quest2&hud=1&governor=off&replay=tianhe/cargo', ['en'])
    expect(options).toMatchObject({ lang: 'zh', emulate: 'quest2', hud: true, governor: 'off', replay: 'tianhe/cargo' })
    expect(parseAppOptions('?governor=baseline&bench=step&workPerMs=120', []).governor).toBe('baseline')
    expect(parseAppOptions('?governor=lowest', []).governor).toBe('lowest')
    expect(parseAppOptions('?bench=step&workPerMs=120', [])).toMatchObject({ bench: 'step', workPerMs: 120 })
    expect(parseAppOptions('?benchRecord=1', [])).toMatchObject({ bench: null, benchRecord: true })
    expect(options.benchRecord).toBe(false)
    expect(options.warnings).toEqual([])
  })
  it('offers the handheld phone emulator', () => {
    const options = parseAppOptions('?emulate=phone', ['en'])
    expect(options.emulate).toBe('phone')
    expect(options.warnings).toEqual([])
  })
  it('keeps defaults and warns on values it does not understand', () => {
    const options = parseAppOptions('?lang=fr&emulate=vive&hud=maybe&replay=../etc/passwd', ['en'])
    expect(options).toMatchObject({ lang: 'en', emulate: 'quest3', hud: false, replay: null })
    expect(options.warnings).toHaveLength(4)
  })
})

describe('benchmark options are bounded', () => {
  it('refuses a workPerMs that would freeze the tab, with a bilingual reason and no load', () => {
    for (const bad of ['1e15', '1000001', '-5', 'NaN', 'Infinity', 'abc', '1e400']) {
      const options = parseAppOptions(`?bench=steady&workPerMs=${bad}`, [])
      expect(options.workPerMs, bad).toBe(0)
      expect(options.workPerMsError?.en, bad).toMatch(/workPerMs=.* is not valid: give work units per millisecond from 0 to 1000000/)
      expect(options.workPerMsError?.zh, bad).toMatch(/无效：应为 0 到 1000000/)
      expect(options.warnings, bad).toEqual([`workPerMs=${bad}`])
    }
  })
  it('keeps calibrated values and the bench runner’s workPerMs=0', () => {
    expect(parseWorkPerMs('33000')).toEqual({ workPerMs: 33000, workPerMsError: null })
    expect(parseWorkPerMs('0')).toEqual({ workPerMs: 0, workPerMsError: null })
    expect(parseWorkPerMs(String(MAX_WORK_PER_MS))).toEqual({ workPerMs: MAX_WORK_PER_MS, workPerMsError: null })
    expect(parseWorkPerMs(null)).toEqual({ workPerMs: 0, workPerMsError: null })
  })
})

describe('frame-system errors', () => {
  it('name every disabled system, with its phase, in both languages', () => {
    const error = createFrameSystemError([
      { name: 'danmaku-overlay', phase: 'post', lastError: 'boom' },
      { name: 'venue-poses', phase: 'animation', lastError: 'bad pose' },
    ])
    expect(error.kind).toBe('frame-system-disabled')
    for (const lang of ['zh', 'en'] as const) {
      expect(error.body[lang]).toContain('post/danmaku-overlay')
      expect(error.body[lang]).toContain('animation/venue-poses')
      expect(error.title[lang].length).toBeGreaterThan(0)
    }
    expect(error.detail).toBe('post/danmaku-overlay: boom\nanimation/venue-poses: bad pose')
    expect(error.actions).toContain('reload')
  })
})

describe('context loss during a broadcast', () => {
  it('says in both languages that the broadcast goes on and nothing recorded is lost', () => {
    const error = createBroadcastContextLostError()
    expect(error.kind).toBe('context-lost') // replaces the shell's card, cleared with it on restore
    expect(error.body.en).toMatch(/Recording and live output keep running.*nothing recorded is lost/)
    expect(error.body.zh).toMatch(/录制和直播仍在进行.*不会丢失/)
  })
})

describe('a studio remount during a broadcast', () => {
  it('says what stopped and that the take is kept, in both languages', () => {
    const both = createBroadcastInterruptedError({ recording: true, live: true })
    expect(both.kind).toBe('broadcast-interrupted')
    expect(both.detail).toBe('stopped: recording (take kept), live output')
    expect(both.body.en).toMatch(/Everything recorded is kept/)
    expect(both.body.zh).toMatch(/已录下的内容全部保存/)
    expect(createBroadcastInterruptedError({ recording: false, live: true }).detail).toBe('stopped: live output')
  })
})
