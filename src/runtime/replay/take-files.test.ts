import { describe, expect, it } from 'vitest'
import { describeDevice, fileNameFor } from './take-files'

const QUEST_UA =
  'Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/36.2.0.1.52 SamsungBrowser/4.0 Chrome/130.0.6723.172 VR Safari/537.36'

describe('take files', () => {
  it('names a take by experience and time, in safe characters only', () => {
    expect(fileNameFor({ experience: 'tianhe', recordedAt: '2026-12-06T15:20:01.123Z' })).toBe('lingjing-tianhe-2026-12-06T15-20-01-123.json')
    // A damaged record may hold anything: no path separators or spaces reach the file name.
    expect(fileNameFor({ experience: '../../etc x', recordedAt: 'a/b' })).toBe('lingjing-------etc-x-a-b.json')
  })

  it('describes the device from the user agent, or the emulated profile', () => {
    expect(describeDevice({ emulated: false, deviceName: null }, QUEST_UA)).toBe('Meta Quest 3 / Quest Browser 36.2.0.1.52')
    expect(describeDevice({ emulated: true, deviceName: 'Meta Quest 3' }, QUEST_UA)).toBe('IWER Meta Quest 3')
    const desktop = describeDevice({ emulated: false, deviceName: null }, 'x'.repeat(500))
    expect(desktop.startsWith('WebXR device / ')).toBe(true)
    expect(desktop.length).toBeLessThanOrEqual(200)
  })
})
