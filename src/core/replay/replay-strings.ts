import { createStrings, type Bilingual, type Language } from '../i18n/strings'

/** Every string of the recorder, takes and replay UI (DOM and in-world), in both languages. */
export const REPLAY_STRINGS = {
  record: { zh: '录制', en: 'Record' },
  stop: { zh: '停止', en: 'Stop' },
  recordHint: { zh: '开始或停止录制（快捷键 R）', en: 'Start or stop recording (shortcut R)' },
  recordNeedsSession: { zh: '进入 VR 或 AR 后才能录制', en: 'Enter VR or AR to record' },
  recording: { zh: '录制中', en: 'Recording' },
  rec: { zh: '● 录制中', en: '● REC' },
  recordingSavedLocally: { zh: '已实时保存到本机，崩溃或刷新也不会丢失', en: 'Saved on this device as it records; a crash or reload loses nothing' },
  recordingMemoryOnly: { zh: '此浏览器无法使用本地存储：刷新页面会丢失录制', en: 'This browser refused local storage: a reload would lose the recording' },
  storageError: { zh: '保存录制分块失败：', en: 'Saving a recording chunk failed: ' },
  takeFinished: { zh: '录制完成', en: 'Recording finished' },
  takeRecovered: { zh: '找到上次未保存的录制', en: 'A recording from an earlier visit was recovered' },
  takeBroken: { zh: '上次的录制无法恢复', en: 'An earlier recording could not be recovered' },
  takeDamaged: { zh: '已损坏的录制（无法重建，可删除或下载原始数据）', en: 'Damaged recording (cannot be rebuilt: delete it or download the raw data)' },
  takeCutShort: { zh: '录制后段已损坏，已保留此前完好的部分：', en: 'The end of this recording was damaged; the good part before it was kept: ' },
  downloadRaw: { zh: '下载原始数据', en: 'Download raw' },
  deleteTake: { zh: '删除', en: 'Delete' },
  part: { zh: '分段', en: 'Part' },
  takeEmpty: { zh: '没有录到任何帧（录制时需要处于沉浸模式）', en: 'No frames were recorded (recording needs an immersive session)' },
  frames: { zh: '帧', en: 'frames' },
  seconds: { zh: '秒', en: 's' },
  download: { zh: '保存（下载）', en: 'Save (download)' },
  downloadAgain: { zh: '再次下载', en: 'Download again' },
  share: { zh: '分享', en: 'Share' },
  discard: { zh: '丢弃', en: 'Discard' },
  close: { zh: '关闭', en: 'Close' },
  saved: { zh: '已保存', en: 'Saved' },
  shareFailed: { zh: '分享失败：', en: 'Sharing failed: ' },
  takesLabel: { zh: '录制', en: 'Recordings' },
  replay: { zh: '回放', en: 'Replay' },
  replayOpen: { zh: '回放录制文件…', en: 'Replay a recording…' },
  replayTitle: { zh: '会话回放', en: 'Session replay' },
  replayLoading: { zh: '正在加载录制', en: 'Loading the recording' },
  replayWaitingSession: { zh: '等待进入沉浸模式与场景加载…', en: 'Waiting for the immersive session and the scene to load…' },
  replayHolding: { zh: '场景加载中，回放已暂停', en: 'Paused while the scene loads' },
  replayEnded: { zh: '回放结束', en: 'Replay finished' },
  replayDeterministic: {
    zh: '确定性模式：每个应用帧播放一个录制帧，模拟时钟与随机数由录制驱动（用于测试）。',
    en: 'Deterministic mode: one recorded frame per app frame; the simulation clock and RNG come from the recording (for tests).',
  },
  replayNeedsEmulator: {
    zh: '回放会驱动桌面模拟器；此浏览器使用真实 WebXR 设备，无法回放。请在没有头显的桌面浏览器中打开。',
    en: 'Replays drive the desktop emulator; this browser uses a real WebXR device, so it cannot replay. Open the page in a desktop browser without a headset.',
  },
  replayFailed: { zh: '无法回放：', en: 'Cannot replay: ' },
  replayRefusedKeepsPlaying: { zh: '所选文件无法回放，当前回放继续：', en: 'The chosen file cannot be replayed; the current replay goes on: ' },
  retryReplay: { zh: '重试', en: 'Retry' },
  play: { zh: '播放', en: 'Play' },
  pause: { zh: '暂停', en: 'Pause' },
  stepBack: { zh: '后退一帧', en: 'Step back one frame' },
  stepForward: { zh: '前进一帧', en: 'Step forward one frame' },
  seek: { zh: '定位', en: 'Seek' },
  speed: { zh: '速度', en: 'Speed' },
  chooseFile: { zh: '选择文件', en: 'Choose a file' },
  closeReplay: { zh: '结束回放', en: 'End replay' },
  frame: { zh: '帧', en: 'Frame' },
  device: { zh: '设备', en: 'Device' },
  synthetic: { zh: '合成', en: 'synthetic' },
  notFound: { zh: '找不到录制', en: 'No recording found' },
  fileTooLarge: { zh: '文件过大', en: 'The file is too large' },
} as const satisfies Record<string, Bilingual>

/** Keys of {@link REPLAY_STRINGS}. */
export type ReplayStringKey = keyof typeof REPLAY_STRINGS

/** Looks up a replay UI string. */
export const rt = createStrings(REPLAY_STRINGS)

/** "12.3 s" / "12.3 秒" for a duration in ms. */
export function formatSeconds(ms: number, lang: Language): string {
  return `${(ms / 1000).toFixed(1)} ${REPLAY_STRINGS.seconds[lang]}`
}

/** "01:05" for a duration in ms (recording timer). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const m = Math.floor(total / 60)
  const s = total % 60
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
}
