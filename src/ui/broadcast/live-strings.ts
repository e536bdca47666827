import type { Language } from '../../core/app/options'
import type { WhipFailureReason, WhipState } from '../../core/broadcast/whip-client'
import type { Bilingual } from '../../core/i18n/strings'

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

/** Why an attempt failed, for the panel's last-error line. */
export const LIVE_REASON_STRINGS: Record<WhipFailureReason, Bilingual> = {
  'bad-url': { zh: '服务器地址无效', en: 'The endpoint URL is not usable' },
  unauthorized: { zh: '令牌错误或无权限（401/403）', en: 'Wrong token or not allowed (401/403)' },
  'not-found': { zh: '服务器上没有这个地址（404）', en: 'No such endpoint on the server (404)' },
  rejected: { zh: '服务器拒绝了请求', en: 'The server refused the request' },
  'http-status': { zh: '服务器暂时出错', en: 'The server answered with an error' },
  'no-location': { zh: '服务器的应答缺少 Location', en: 'The server answer has no Location' },
  'bad-answer': { zh: '服务器的 SDP 应答无法使用', en: 'The server SDP answer could not be applied' },
  network: { zh: '无法连接服务器', en: 'The server cannot be reached' },
  'offer-failed': { zh: '无法创建 WebRTC 连接', en: 'The WebRTC connection could not be created' },
  'ice-timeout': { zh: '媒体连接超时（ICE/DTLS）', en: 'The media connection timed out (ICE/DTLS)' },
  'connection-lost': { zh: '连接中断', en: 'The connection dropped' },
}

/** A string in the current language. */
export function lt(key: keyof typeof LIVE_STRINGS, lang: Language): string {
  return LIVE_STRINGS[key][lang]
}

/** "Retry N in S s" in both word orders. */
export function retryText(lang: Language, attempt: number, seconds: number): string {
  return lang === 'zh' ? `${seconds} 秒后第 ${attempt} 次重试` : `Retry ${attempt} in ${seconds} s`
}
