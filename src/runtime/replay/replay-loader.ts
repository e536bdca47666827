/**
 * Loading a replay: from the shipped sessions (`/xr-sessions/NAME.json`), a picked file, or text.
 * Everything is validated before it plays; every refusal is a {@link ReplayLoadError} in both
 * languages with a way on (check the name, pick a smaller file, retry). The loader only reads and
 * validates: what a refusal or a valid recording does to the running app is the service's business.
 */
import type { ReplayModeOption } from '../../core/app/options'
import type { Recording } from '../../core/replay/recording-format'
import { DEFAULT_MAX_BYTES, validateRecording } from '../../core/replay/validate-recording'
import { replayLoadErrors as baseErrors } from './replay-load-errors'
import type { ReplayLoadError } from './xr-sessions-types'

/** What the loader reports to the service. */
export interface ReplayLoaderDeps {
  /** The mode a load without one uses (the page's `replayMode` option). */
  defaultMode: ReplayModeOption
  /** A download or a file read begins (a long one shows as loading). */
  loading(name: string): void
  /** The recording could not be loaded; `name` is the session or file name. */
  fail(name: string, error: ReplayLoadError): void
  /** A valid recording, ready to play. */
  play(name: string, recording: Recording, mode: ReplayModeOption): Promise<void>
  /** The fetch to download with (the browser's by default). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

/** The three ways in; each resolves once the recording plays or was refused. */
export interface ReplayLoader {
  /** Downloads `/xr-sessions/NAME.json` and plays it. */
  loadReplay(name: string, mode?: ReplayModeOption): Promise<void>
  /** Validates and plays a recording given as text. */
  loadReplayText(name: string, text: string, mode?: ReplayModeOption): Promise<void>
  /** Reads, validates and plays a picked file. */
  loadReplayFile(file: Pick<File, 'name' | 'size' | 'text'>, mode?: ReplayModeOption): Promise<void>
}

/** Every refusal of loading and starting a replay, in both languages. */
export const replayLoadErrors = {
  ...baseErrors,
  /** A picked file over the player's limit, refused before it is read. */
  oversize: (bytes: number): ReplayLoadError => {
    const mb = (bytes / 1024 / 1024).toFixed(1)
    const max = DEFAULT_MAX_BYTES / 1024 / 1024
    return { code: 'oversize', message: { en: `The file is ${mb} MB; recordings may be at most ${max} MB.`, zh: `文件大小为 ${mb} MB；录制文件最大 ${max} MB。` } }
  },
}

/** Creates the loader. */
export function createReplayLoader(deps: ReplayLoaderDeps): ReplayLoader {
  const { defaultMode, loading, fail, play } = deps
  const download = deps.fetch ?? ((url: string, init: RequestInit) => fetch(url, init))

  const loadReplayText = async (name: string, text: string, mode: ReplayModeOption = defaultMode) => {
    const result = validateRecording(text, { maxBytes: DEFAULT_MAX_BYTES })
    if (!result.ok) {
      fail(name, result.error)
      return
    }
    await play(name, result.recording, mode)
  }

  const loadReplayFile = async (file: Pick<File, 'name' | 'size' | 'text'>, mode: ReplayModeOption = defaultMode) => {
    const name = file.name.replace(/\.json$/i, '') || 'upload'
    // Refuse before reading: a huge file would stall the page just to be rejected.
    if (file.size > DEFAULT_MAX_BYTES) {
      fail(name, replayLoadErrors.oversize(file.size))
      return
    }
    loading(name)
    let text: string
    try {
      text = await file.text()
    } catch (error) {
      fail(name, replayLoadErrors.unreadable(error))
      return
    }
    await loadReplayText(name, text, mode)
  }

  const loadReplay = async (name: string, mode: ReplayModeOption = defaultMode) => {
    loading(name)
    const url = `/xr-sessions/${name}.json`
    let text: string
    try {
      const response = await download(url, { cache: 'no-cache' })
      // A static host's SPA fallback answers unknown paths with the app's HTML: that is a 404 too.
      const type = response.headers.get('content-type') ?? ''
      if (!response.ok || type.includes('text/html')) {
        fail(name, replayLoadErrors.notFound(url, response.ok ? 404 : response.status))
        return
      }
      text = await response.text()
    } catch (error) {
      fail(name, replayLoadErrors.network(url, error))
      return
    }
    await loadReplayText(name, text, mode)
  }

  return { loadReplay, loadReplayText, loadReplayFile }
}
