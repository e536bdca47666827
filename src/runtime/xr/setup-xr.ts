import type { XRDevice } from 'iwer'
import type { EmulateOption } from '../../core/app/options'

/** What the browser can do once Lingjing has looked (and, if allowed, installed the emulator). */
export interface XRSupport {
  vr: boolean
  ar: boolean
  /** True when Lingjing installed IWER because the browser had no immersive WebXR. */
  emulated: boolean
  /** The emulated device (for the DevUI, tests and replays), or null on real WebXR. */
  device: XRDevice | null
  /** Name of the emulated profile, or null. */
  deviceName: string | null
}

async function probe(mode: XRSessionMode): Promise<boolean> {
  try {
    return (await navigator.xr?.isSessionSupported(mode)) ?? false
  } catch {
    // Some browsers throw instead of answering false (e.g. in an insecure context).
    return false
  }
}

/**
 * Looks for real immersive WebXR and, when there is none and `?emulate` allows it, installs Meta's
 * IWER emulator over `navigator.xr` (forceInstall: Chromium exposes a native `navigator.xr` even
 * without a headset). `emulate=off` leaves `navigator.xr` alone so a real headset, a browser
 * extension or a test's own emulator is used.
 */
export async function setupXR(emulate: EmulateOption): Promise<XRSupport> {
  const [vr, ar] = await Promise.all([probe('immersive-vr'), probe('immersive-ar')])
  if (vr || ar || emulate === 'off') {
    return { vr, ar, emulated: false, device: null, deviceName: null }
  }
  // Loaded only when needed: real headsets never download the emulator.
  const [iwer, devui] = await Promise.all([import('iwer'), import('@iwer/devui')])
  if (emulate === 'phone') {
    // A handheld AR phone (IWER has headsets only): mono view, screen taps, AR only. No DevUI: its
    // controls are built for a headset with two controllers.
    const phone = await import('./phone-profile')
    const device = new iwer.XRDevice(phone.phoneHandheld, { stereoEnabled: false, fovy: phone.PHONE_FOVY })
    phone.installPhoneTouchscreen(device)
    device.installRuntime({ forceInstall: true })
    return { vr: false, ar: true, emulated: true, device, deviceName: phone.phoneHandheld.name }
  }
  const config = emulate === 'quest2' ? iwer.metaQuest2 : emulate === 'questpro' ? iwer.metaQuestPro : iwer.metaQuest3
  const device = new iwer.XRDevice(config, { stereoEnabled: true })
  device.installRuntime({ forceInstall: true })
  try {
    device.installDevUI(devui.DevUI)
  } catch (error) {
    // The DevUI draws with its own WebGL renderer: without WebGL it cannot start, and the shell
    // explains the missing WebGL itself. The emulator runs on without its on-screen controls.
    console.warn('IWER DevUI unavailable:', error)
  }
  return { vr: true, ar: config.supportedSessionModes.includes('immersive-ar'), emulated: true, device, deviceName: config.name }
}

/**
 * Gives the emulated device a synthetic room (planes, meshes, real hit-test results, offline)
 * before an AR session. Loaded on first AR use only: the rooms weigh megabytes.
 */
export async function ensureSyntheticRoom(support: XRSupport, room = 'office_small'): Promise<void> {
  const device = support.device
  if (!device || device.sem) return
  const { SyntheticEnvironmentModule } = await import('@iwer/sem')
  device.installSEM(SyntheticEnvironmentModule)
  const sem = device.sem as { loadDefaultEnvironment(id: string): void } | undefined
  sem?.loadDefaultEnvironment(room)
}
