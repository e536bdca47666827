import { createStrings, type Bilingual } from '../i18n/strings'

/** Every user-facing string of the broadcast controls, in Chinese and English. */
export const BROADCAST_STRINGS = {
  title: { zh: '导播台', en: 'Broadcast' },
  cameras: { zh: '机位（F1–F5 切换，Shift+F 预选）', en: 'Cameras (F1–F5 cut, Shift+F preview)' },
  programme: { zh: '播出', en: 'On air' },
  preview: { zh: '预选', en: 'Preview' },
  transition: { zh: '转场', en: 'Transition' },
  cut: { zh: '硬切', en: 'Cut' },
  dip: { zh: '黑场', en: 'Dip' },
  move: { zh: '运镜', en: 'Move' },
  auto: { zh: '自动切换（F6）', en: 'Auto (F6)' },
  quality: { zh: '输出', en: 'Output' },
  record: { zh: '● 录制', en: '● Record' },
  stop: { zh: '■ 停止', en: '■ Stop' },
  cancel: { zh: '取消倒计时', en: 'Cancel countdown' },
  countdown: { zh: '开始倒计时', en: 'Starting in' },
  stopping: { zh: '正在保存…', en: 'Saving…' },
  recording: { zh: '录制中', en: 'Recording' },
  unsupported: { zh: '此浏览器无法录制', en: 'Recording is not available here' },
  storageLow: { zh: '存储空间不足，剩余约', en: 'Storage is low, about' },
  storageLowTail: { zh: '可录', en: 'left' },
  memoryOnly: { zh: '仅保存在内存中：重新加载会丢失', en: 'Kept in memory only: a reload loses it' },
  takes: { zh: '录制列表', en: 'Takes' },
  noTakes: { zh: '还没有录制', en: 'No takes yet' },
  recovered: { zh: '已恢复（上次中断）', en: 'Recovered (interrupted)' },
  incomplete: { zh: '（有缺失，已截断）', en: '(incomplete, cut at the gap)' },
  emptyTake: {
    zh: '录制在第一帧画面之前就中断了，没有可播放的内容。可以删除它。',
    en: 'This take was cut off before its first video frame: there is nothing to play. You can delete it.',
  },
  keepsRecording: {
    zh: '退出 VR 后仍会继续录制，按“停止”结束本条录制。',
    en: 'Recording goes on after you leave VR; press Stop to end the take.',
  },
  play: { zh: '播放', en: 'Play' },
  download: { zh: '下载', en: 'Download' },
  share: { zh: '分享', en: 'Share' },
  delete: { zh: '删除', en: 'Delete' },
  close: { zh: '关闭', en: 'Close' },
  shareFailed: { zh: '分享失败：', en: 'Sharing failed: ' },
  nothingReadable: {
    zh: '这条录制里读不出任何画面数据（可能在写入第一段时中断）。可以下载原始数据或删除它。',
    en: 'No picture data could be read from this take (it may have been cut off while writing its first part). You can download what is there or delete it.',
  },
  playFailed: {
    zh: '此浏览器无法播放这条录制，文件仍然保存着：可以下载后用其他播放器打开。',
    en: 'This browser cannot play this take; the file is still kept: download it and open it in another player.',
  },
  withMic: { zh: '含麦克风声音', en: 'with microphone' },
  noMic: { zh: '无声音（先开启麦克风）', en: 'no sound (turn the mic on first)' },
} satisfies Record<string, Bilingual>

/** A string in the current language. */
export const bt = createStrings(BROADCAST_STRINGS)

/** mm:ss for the running time. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** Bytes as KB/MB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`
  return `${(bytes / 1e6).toFixed(1)} MB`
}
