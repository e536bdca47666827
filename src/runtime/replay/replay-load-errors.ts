/**
 * The bilingual refusals of loading and starting a replay, each with a way on. Kept apart from
 * replay-loader.ts (which carries the validator) so the facade can report a failed chunk download
 * or a missing emulator without loading any recording code.
 */
import type { LocalizedMessage } from '../../core/replay/replay-error'
import type { ReplayLoadError } from './xr-sessions-types'

/** An error's message as text. */
export const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** The bilingual refusals of loading and starting a replay (the loader adds `oversize`, which needs the validator's limit). */
export const replayLoadErrors = {
  /** The page runs on a real headset, which a replay cannot drive. */
  needsEmulator: (): ReplayLoadError => ({
    code: 'needs-emulator',
    message: {
      en: 'Replays drive the desktop emulator, and this browser uses a real WebXR device. Open the page in a desktop browser without a headset.',
      zh: '回放会驱动桌面模拟器，而此浏览器使用真实 WebXR 设备。请在没有头显的桌面浏览器中打开。',
    },
  }),
  /** The replay's code chunk did not download: Retry reloads the page. */
  chunkFailed: (error: unknown): ReplayLoadError => ({
    code: 'chunk-failed',
    retryable: true,
    message: {
      en: `Part of the app needed for replays did not download (${detailOf(error)}). Check the connection and press Retry to reload the page (a picked file must be picked again).`,
      zh: `回放所需的程序文件没有下载成功（${detailOf(error)}）。请检查网络后点“重试”重新加载页面（选择的文件需要重新选择）。`,
    },
  }),
  /** The browser could not read a picked file. */
  unreadable: (error: unknown): ReplayLoadError => ({
    code: 'unreadable',
    message: { en: `The file could not be read: ${detailOf(error)}`, zh: `无法读取文件：${detailOf(error)}` },
  }),
  /** No recording under that name (`status` is the HTTP status, 404 for an HTML fallback page). */
  notFound: (url: string, status: number): ReplayLoadError => ({
    code: 'not-found',
    message: {
      en: `There is no recording at ${url} (HTTP ${status}). Check the name after ?replay=.`,
      zh: `在 ${url} 找不到录制（HTTP ${status}）。请检查 ?replay= 后面的名称。`,
    },
  }),
  /** The download failed. */
  network: (url: string, error: unknown): ReplayLoadError => ({
    code: 'network',
    message: { en: `The recording ${url} could not be downloaded: ${detailOf(error)}`, zh: `无法下载录制 ${url}：${detailOf(error)}` },
  }),
}

/** The recorder's code chunk did not download (the record button, or takes to recover at start). */
export function recorderChunkFailed(error: unknown): LocalizedMessage {
  return {
    en: `Part of the app needed for recording did not download (${detailOf(error)}). Check the connection and press Retry to reload the page; takes already stored are offered again then.`,
    zh: `录制所需的程序文件没有下载成功（${detailOf(error)}）。请检查网络后点“重试”重新加载页面；已保存的录制届时会再次提供。`,
  }
}
