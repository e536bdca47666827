import { describe, expect, it } from 'vitest'
import { emulateForRecordedDevice } from './replay-device'

describe('emulateForRecordedDevice', () => {
  it('maps the emulator profiles the recorder writes back to their ?emulate= values', () => {
    expect(emulateForRecordedDevice('IWER Meta Quest 3')).toBe('quest3')
    expect(emulateForRecordedDevice('IWER Meta Quest 2')).toBe('quest2')
    expect(emulateForRecordedDevice('IWER Meta Quest Pro')).toBe('questpro')
    expect(emulateForRecordedDevice('IWER Android phone (handheld AR)')).toBe('phone')
  })

  it('maps real devices by their user-agent description', () => {
    expect(emulateForRecordedDevice('Meta Quest 3 / Quest Browser 36.2')).toBe('quest3')
    expect(emulateForRecordedDevice('Meta Quest Pro / Quest Browser 35.1')).toBe('questpro')
    expect(emulateForRecordedDevice('WebXR device / Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36')).toBe('phone')
  })

  it('leaves unknown devices to the default profile', () => {
    expect(emulateForRecordedDevice('synthetic')).toBeNull()
    expect(emulateForRecordedDevice('Pico 4 / Pico Browser')).toBeNull()
  })
})
