import { describe, expect, it } from 'vitest'
import { APP_ERROR_KINDS, classifySessionError, createAppError } from './app-errors'

describe('app errors', () => {
  it('explains every error kind in both languages with at least one way on', () => {
    for (const kind of APP_ERROR_KINDS) {
      const error = createAppError(kind)
      expect(error.title.zh && error.title.en && error.body.zh && error.body.en, kind).toBeTruthy()
      expect(error.actions.length, kind).toBeGreaterThan(0)
    }
  })

  it('has the avatar and microphone errors of the livestream room, carrying the validator detail', () => {
    expect(APP_ERROR_KINDS).toContain('avatar-invalid')
    expect(APP_ERROR_KINDS).toContain('microphone-denied')
    const error = createAppError('avatar-invalid', 'This is not a VRM file')
    expect(error.detail).toBe('This is not a VRM file')
    expect(error.actions).toEqual(['dismiss'])
  })

  it('has the camera-denied error of the mascot photo, with a way on without the camera', () => {
    expect(APP_ERROR_KINDS).toContain('camera-denied')
    const error = createAppError('camera-denied', 'NotAllowedError')
    expect(error.body.zh).toMatch(/摄像头/)
    expect(error.body.en).toMatch(/camera/)
    expect(error.actions).toEqual(['dismiss'])
  })

  it('classifies session errors by DOMException name', () => {
    expect(classifySessionError({ name: 'NotSupportedError' }).kind).toBe('mode-unsupported')
    expect(classifySessionError({ name: 'SecurityError' }).kind).toBe('session-denied')
    expect(classifySessionError(new Error('boom')).kind).toBe('session-failed')
  })
})
