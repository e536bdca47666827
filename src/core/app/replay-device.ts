import type { EmulateOption } from './options'

/**
 * The emulator profile (`?emulate=`) that replays a recording the way it was made, from the
 * recording's `meta.device`: a take from Lingjing's emulated phone (`IWER Android phone (handheld
 * AR)`) or from a real Android phone needs the phone profile (one screen touch, handedness `none`,
 * no controllers); Quest 2 and Quest Pro takes get their own controllers. Returns null when the
 * device says nothing the emulator can match (the page's default profile is used).
 */
export function emulateForRecordedDevice(device: string): EmulateOption | null {
  if (/android|phone/i.test(device)) return 'phone'
  if (/quest\s*pro/i.test(device)) return 'questpro'
  if (/quest\s*2/i.test(device)) return 'quest2'
  if (/quest\s*3/i.test(device)) return 'quest3'
  return null
}
