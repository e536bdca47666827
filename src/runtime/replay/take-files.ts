/**
 * A take as a file: its name, the device line in its meta, and handing it to the browser as a
 * download. Naming is pure; `downloadText` is the one place that touches the DOM.
 */
import type { PendingTake } from './xr-sessions-types'
import { downloadBlob } from '../app/download'

/** "Meta Quest 3 / Quest Browser 36.2" style device profile from the user agent. */
export function describeDevice(support: { emulated: boolean; deviceName?: string | null }, userAgent: string): string {
  if (support.emulated) return `IWER ${support.deviceName ?? 'emulator'}`
  const model = /Quest [^;)]+|Pico[^;)]*|Vision Pro/.exec(userAgent)?.[0]
  const browser = /OculusBrowser\/([\d.]+)/.exec(userAgent)
  const name = `${model ? `Meta ${model.trim()}` : 'WebXR device'} / ${browser ? `Quest Browser ${browser[1]}` : userAgent.slice(0, 120)}`
  return name.slice(0, 200)
}

/** `lingjing-EXPERIENCE-RECORDEDAT.json`, in safe characters only. */
export function fileNameFor(take: Pick<PendingTake, 'experience' | 'recordedAt'>): string {
  // A damaged record's fields may hold anything: keep the file name to safe characters.
  const safe = (text: string) => text.replace(/Z$/, '').replace(/[^A-Za-z0-9_-]/g, '-')
  return `lingjing-${safe(take.experience)}-${safe(take.recordedAt)}.json`
}

/** The take's recording as a JSON file, for the Web Share API. */
export function takeFile(take: PendingTake): File {
  return new File([JSON.stringify(take.recording)], fileNameFor(take), { type: 'application/json' })
}

/** True when the Web Share API can share files here. */
export function canShareFiles(): boolean {
  try {
    return typeof navigator.canShare === 'function' && navigator.canShare({ files: [new File(['{}'], 'probe.json', { type: 'application/json' })] })
  } catch {
    return false
  }
}

/** Hands `text` to the browser as a JSON download named `fileName`. */
export function downloadText(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'application/json' }), fileName)
}
