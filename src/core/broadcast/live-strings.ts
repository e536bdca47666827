import type { Language } from '../i18n/strings'
import { WHIP_FAILURE_MESSAGES, type WhipFailureReason, type WhipState } from './whip-client'
import { createStrings, type Bilingual } from '../i18n/strings'

/** Every user-facing string of the live (WHIP) controls, in Chinese and English. */
export const LIVE_STRINGS = {
  title: { zh: '直播推流（WHIP）', en: 'Live (WHIP)' },
  endpoint: { zh: '服务器地址', en: 'Endpoint URL' },
  token: { zh: '令牌（Bearer，可选，不保存）', en: 'Token (Bearer, optional, not stored)' },
  goLive: { zh: '● 开始直播', en: '● Go live' },
  stop: { zh: '■ 停止直播', en: '■ Stop live' },
  bitrate: { zh: '码率', en: 'Bitrate' },
  reconnects: { zh: '重连次数', en: 'Reconnects' },
  lastError: { zh: '最近的错误：', en: 'Last error: ' },
  micAudio: { zh: '声音：麦克风', en: 'Sound: microphone' },
  silentAudio: { zh: '声音：静音（先开启麦克风）', en: 'Sound: silent (turn the mic on)' },
  resource: { zh: '会话资源', en: 'Session resource' },
} satisfies Record<string, Bilingual>

/** The session states as the panel names them. */
export const LIVE_STATE_STRINGS: Record<WhipState, Bilingual> = {
  off: { zh: '未直播', en: 'Off air' },
  connecting: { zh: '正在连接…', en: 'Connecting…' },
  live: { zh: '直播中', en: 'LIVE' },
  reconnecting: { zh: '正在重连…', en: 'Reconnecting…' },
  failed: { zh: '失败', en: 'Failed' },
  stopping: { zh: '正在停止…', en: 'Stopping…' },
}

/** Why an attempt failed, for the panel's last-error line (the core's bilingual messages). */
export const LIVE_REASON_STRINGS: Readonly<Record<WhipFailureReason, Bilingual>> = WHIP_FAILURE_MESSAGES

/** A string in the current language. */
export const lt = createStrings(LIVE_STRINGS)

/** "Retry N in S s" in both word orders. */
export function retryText(lang: Language, attempt: number, seconds: number): string {
  return lang === 'zh' ? `${seconds} 秒后第 ${attempt} 次重试` : `Retry ${attempt} in ${seconds} s`
}
