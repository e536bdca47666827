import type { AppOptions, EmulateOption } from '../../core/app/options'
import { emulateForRecordedDevice } from '../../core/app/replay-device'

/**
 * The emulator profile to install for this page. With `?replay=NAME` and no explicit `?emulate=`,
 * it is the profile the recording was made with (read from the file's `meta.device`), so a take
 * from the emulated phone replays on the phone (its screen touch has no controller to drive on a
 * headset). The emulator must be chosen before anything touches navigator.xr, hence at boot, before
 * the replay service loads the file itself. Any failure here (missing or broken file) falls back
 * to the page's profile: the service reports the problem when it loads the replay.
 */
export async function emulationForReplay(options: AppOptions, search: string): Promise<EmulateOption> {
  if (!options.replay || new URLSearchParams(search).has('emulate')) return options.emulate
  try {
    const response = await fetch(`/xr-sessions/${options.replay}.json`, { cache: 'no-cache' })
    if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return options.emulate
    const file = (await response.json()) as { meta?: { device?: unknown } }
    const device = file.meta?.device
    return (typeof device === 'string' && emulateForRecordedDevice(device)) || options.emulate
  } catch {
    return options.emulate
  }
}
