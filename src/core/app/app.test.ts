import { describe, expect, it } from 'vitest'
import { languageFromPreferences, parseAppOptions } from './options'
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
