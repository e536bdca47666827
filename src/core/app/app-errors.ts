import type { Bilingual } from '../i18n/strings'

/** The failures the shell knows how to explain. */
export type AppErrorKind =
  | 'no-webgl'
  | 'no-webxr'
  | 'mode-unsupported'
  | 'session-denied'
  | 'session-failed'
  | 'session-lost'
  | 'context-lost'
  | 'asset-failed'
  | 'not-found'
  | 'scene-crashed'
  | 'camera-denied'
  | 'avatar-invalid'
  | 'emote-invalid'
  | 'microphone-denied'
  | 'recording-invalid'
  | 'recording-storage-full'
  | 'recording-write-failed'
  | 'recording-not-persistent'
  | 'recording-unsupported'
  | 'recording-storage-low'
  | 'recording-storage-warn'
  | 'recording-take-live'
  | 'live-failed'
  | 'broadcast-interrupted'
  | 'danmaku-url-invalid'
  | 'danmaku-feed-unreachable'
  | 'reshoot-programme-invalid'
  | 'reshoot-failed'
  | 'frame-budget-invalid'
  | 'frame-system-disabled'
  | 'bench-option-invalid'
  | 'venue-offline'
  | 'venue-refused'

/** What the user can do about an error; the shell renders each as a button or link. */
export type AppErrorAction = 'reload' | 'retry' | 'open-emulator' | 'enter-again' | 'back-to-hub' | 'dismiss'

/** A visible, specific error: what happened and what to do, in both languages. */
export interface AppError {
  kind: AppErrorKind
  title: Bilingual
  body: Bilingual
  actions: AppErrorAction[]
  /** Technical detail (exception message) for the diagnostics snapshot; not translated. */
  detail?: string
}

const TEMPLATES: Record<AppErrorKind, Omit<AppError, 'kind' | 'detail'>> = {
  'camera-denied': {
    title: { zh: '无法使用摄像头', en: 'The camera is not available' },
    body: {
      zh: '拍照需要后置摄像头，但权限被拒绝或没有摄像头。请在浏览器设置中允许本网站使用摄像头后重试；也可以不用摄像头，只拍小关和虚拟场景。',
      en: 'The photo needs the rear camera, but permission was refused or there is no camera. Allow camera access for this site in the browser settings and try again, or take the photo without the camera (Xiaoguan and the virtual scene only).',
    },
    // Retrying is pressing the camera button again; a scene reload would lose the placed mascot.
    actions: ['dismiss'],
  },
  'no-webgl': {
    title: { zh: '无法启动 3D 图形', en: '3D graphics are not available' },
    body: {
      zh: '这个浏览器无法创建 WebGL2 画布。请开启硬件加速，或换用最新版 Chrome、Edge 或 Quest 浏览器。',
      en: 'This browser could not create a WebGL2 canvas. Turn on hardware acceleration, or use a current Chrome, Edge or the Quest Browser.',
    },
    actions: ['reload'],
  },
  'no-webxr': {
    title: { zh: '此浏览器不支持 WebXR', en: 'This browser has no WebXR' },
    body: {
      zh: '没有检测到头显或 WebXR。可以打开桌面模拟器预览，用鼠标和键盘体验；在 Quest 浏览器或支持 AR 的安卓手机上打开本页可获得完整体验。',
      en: 'No headset or WebXR was found. Open the desktop emulator preview to try it with mouse and keyboard, or open this page in the Quest Browser or on an AR-capable Android phone.',
    },
    actions: ['open-emulator', 'dismiss'],
  },
  'mode-unsupported': {
    title: { zh: '此设备不支持该模式', en: 'This device does not support that mode' },
    body: {
      zh: '设备不支持所请求的沉浸模式。请尝试另一个按钮，或在支持的设备上打开本页。',
      en: 'The device does not offer the requested immersive mode. Try the other button, or open this page on a device that supports it.',
    },
    actions: ['open-emulator', 'dismiss'],
  },
  'session-denied': {
    title: { zh: '沉浸会话被拒绝', en: 'The immersive session was refused' },
    body: {
      zh: '浏览器或用户拒绝了进入沉浸模式的请求。请允许权限后重试。',
      en: 'The browser or the user declined the request to enter immersive mode. Allow it and try again.',
    },
    actions: ['enter-again', 'dismiss'],
  },
  'session-failed': {
    title: { zh: '无法进入沉浸模式', en: 'Could not enter immersive mode' },
    body: {
      zh: '启动沉浸会话时出错。请确认头显已连接并重试。',
      en: 'Starting the immersive session failed. Check that the headset is connected and try again.',
    },
    actions: ['enter-again', 'dismiss'],
  },
  'session-lost': {
    title: { zh: '沉浸会话已结束', en: 'The immersive session ended' },
    body: {
      zh: '会话被系统结束（例如摘下头显或打开了系统菜单）。你的进度已保留，可以再次进入。',
      en: 'The system ended the session (for example the headset was taken off or the system menu opened). Your progress is kept; you can enter again.',
    },
    actions: ['enter-again', 'dismiss'],
  },
  'context-lost': {
    title: { zh: '图形上下文丢失', en: 'The graphics context was lost' },
    body: {
      zh: '显卡重置了画面。正在尝试恢复；如果画面没有回来，请重新加载。',
      en: 'The GPU reset the canvas. Lingjing is trying to restore it; if the picture does not come back, reload.',
    },
    actions: ['reload'],
  },
  'asset-failed': {
    title: { zh: '资源加载失败', en: 'An asset failed to load' },
    body: {
      zh: '这个体验需要的文件没有加载成功。请检查网络连接后重试。',
      en: 'A file this experience needs did not load. Check the connection and try again.',
    },
    actions: ['retry', 'back-to-hub'],
  },
  'not-found': {
    title: { zh: '找不到这个页面', en: 'This page does not exist' },
    body: { zh: '链接可能有误。返回太空基地选择一个体验。', en: 'The link may be mistyped. Go back to the base and pick an experience.' },
    actions: ['back-to-hub'],
  },
  'scene-crashed': {
    title: { zh: '场景出错', en: 'The scene hit an error' },
    body: {
      zh: '这个体验遇到了意外错误。可以重试，或返回太空基地。',
      en: 'This experience hit an unexpected error. Try again, or go back to the base.',
    },
    actions: ['retry', 'back-to-hub'],
  },
  'avatar-invalid': {
    title: { zh: '无法使用这个虚拟形象', en: 'This avatar cannot be used' },
    body: {
      zh: '所选的 VRM 文件没有通过检查，当前的虚拟形象保持不变。原因见下方；修正后可以再次选择或拖入文件。',
      en: 'The chosen VRM file did not pass the check, so the current avatar stays. The reason is below; fix it and pick or drop the file again.',
    },
    actions: ['dismiss'],
  },
  'emote-invalid': {
    title: { zh: '无法使用这个动作', en: 'This animation cannot be used' },
    body: {
      zh: '所选的 VRM 动作（.vrma）没有通过检查，已有的动作保持不变。原因见下方；修正后可以再次选择或拖入文件。',
      en: 'The chosen VRM Animation (.vrma) did not pass the check, so the emotes stay as they were. The reason is below; fix it and pick or drop the file again.',
    },
    actions: ['dismiss'],
  },
  'microphone-denied': {
    title: { zh: '无法使用麦克风', en: 'The microphone is not available' },
    body: {
      zh: '麦克风权限被拒绝或设备不可用，所以口型不会跟随声音；其他功能照常可用。可在浏览器的网站设置中允许麦克风，然后再点“开启麦克风”。',
      en: 'Microphone access was refused or no microphone is available, so the mouth will not follow your voice; everything else keeps working. Allow the microphone in the browser\'s site settings, then press "Mic on" again.',
    },
    actions: ['dismiss'],
  },
  'recording-invalid': {
    title: { zh: '无法回放这个录制', en: 'This recording cannot be replayed' },
    body: {
      zh: '录制文件在回放前的检查中被拒绝（原因见下）。应用照常运行，没有回放。可以换一个文件，或重新录制。',
      en: 'The recording was refused by the check that runs before playback (the reason is below). The app keeps running without the replay. Try another file, or record the session again.',
    },
    actions: ['dismiss'],
  },
  'recording-storage-full': {
    title: { zh: '存储空间将满，录制已停止', en: 'Storage is almost full: recording stopped' },
    body: {
      zh: '浏览器给本网站的存储空间只剩安全余量，录制已自动停止，已录下的内容全部保存在录制列表中。请下载或删除旧的录制以腾出空间，然后再开始录制。',
      en: 'Only the safety margin is left of the storage the browser gives this site, so recording stopped by itself and everything recorded so far is kept in the list of takes. Download or delete older takes to make room, then record again.',
    },
    actions: ['dismiss'],
  },
  'recording-write-failed': {
    title: { zh: '录制无法写入存储', en: 'The recording could not be stored' },
    body: {
      zh: '保存录制片段时出错（原因见下），录制已停止。已录下的内容仍在本页内存中，可以在录制列表中立即下载；重新加载前请先下载。',
      en: 'Storing a piece of the recording failed (the reason is below), so recording stopped. What was recorded is still in this page and can be downloaded from the list of takes now; download it before reloading.',
    },
    actions: ['dismiss'],
  },
  'recording-not-persistent': {
    title: { zh: '录制不会在崩溃后保留', en: 'Recordings will not survive a crash' },
    body: {
      zh: '此浏览器不允许本网站使用 IndexedDB（例如隐私模式），录制只保存在内存中：可以录制和下载，但重新加载或崩溃会丢失尚未下载的录制。',
      en: 'This browser does not let the site use IndexedDB (a private window, for example), so recordings live in memory only: you can record and download, but a reload or crash loses any take not yet downloaded.',
    },
    actions: ['dismiss'],
  },
  'recording-unsupported': {
    title: { zh: '此浏览器无法录制视频', en: 'This browser cannot record video' },
    body: {
      zh: '浏览器不支持用 MediaRecorder 录制画布（WebM 或 MP4 均不可用）。节目画面和直播控制照常可用；请用最新版 Chrome、Edge 或 Quest 浏览器录制。',
      en: 'The browser cannot record a canvas with MediaRecorder (neither WebM nor MP4 is available). The programme and the switcher keep working; record with a current Chrome, Edge or the Quest Browser.',
    },
    actions: ['dismiss'],
  },
  'recording-storage-low': {
    title: { zh: '存储空间不足，未开始录制', en: 'Too little storage left: recording did not start' },
    body: {
      zh: '浏览器给本网站的存储空间已不够保存一段录制（剩余空间见下），所以没有开始录制，以免录到一半丢失。请下载或删除旧的录制以腾出空间，然后再录制。',
      en: 'The storage the browser gives this site cannot hold a recording any more (the space left is below), so recording did not start rather than lose the take halfway. Download or delete older takes to make room, then record again.',
    },
    actions: ['dismiss'],
  },
  'recording-storage-warn': {
    title: { zh: '存储空间较少，录制可能提前停止', en: 'Storage is low: the recording may stop early' },
    body: {
      zh: '浏览器给本网站的存储空间只够录制几分钟（见下）。录制已开始；空间用尽前会自动停止并保留已录内容。请尽快下载或删除旧的录制。',
      en: 'The storage the browser gives this site holds only a few minutes of recording (see below). Recording has started; it stops by itself and keeps the take before space runs out. Download or delete older takes soon.',
    },
    actions: ['dismiss'],
  },
  'recording-take-live': {
    title: { zh: '这段录制正在另一个标签页中进行', en: 'This take is being recorded in another tab' },
    body: {
      zh: '本网站的另一个标签页仍在写入这段录制，所以现在不能删除它。请先在那个标签页停止录制，然后再删除。',
      en: 'Another tab of this site is still writing this take, so it cannot be deleted now. Stop the recording in that tab first, then delete it.',
    },
    actions: ['dismiss'],
  },
  'live-failed': {
    title: { zh: '无法开始直播', en: 'Could not go live' },
    body: {
      zh: 'WHIP 服务器拒绝了推流，或地址不可用（原因见下），直播已停止，不会自动重试。请在“直播”面板检查服务器地址和令牌，然后再点“开始直播”。录制和导播不受影响。',
      en: 'The WHIP server refused the stream, or the address cannot be used (the reason is below), so going live stopped and will not retry by itself. Check the endpoint URL and the token in the Live panel, then press Go live again. Recording and the switcher keep working.',
    },
    actions: ['dismiss'],
  },
  'broadcast-interrupted': {
    title: { zh: '演播室已重新加载：录制和直播已停止', en: 'The studio was reloaded: recording and live output stopped' },
    body: {
      zh: '演播室场景重新加载（例如点了“重试”或开始了回放）或被离开，所以正在进行的录制和直播已停止（见下方）。已录下的内容全部保存在录制列表中；需要时请再点“录制”或“开始直播”。',
      en: 'The studio scene was reloaded (for example by Retry or by starting a replay) or left, so the recording and live output that were running stopped (see below). Everything recorded is kept in the list of takes; press Record or Go live again to carry on.',
    },
    actions: ['dismiss'],
  },
  'danmaku-url-invalid': {
    title: { zh: '弹幕地址无效', en: 'The danmaku address is not valid' },
    body: {
      zh: '弹幕源必须是 WebSocket 地址（ws:// 或 wss://，https 页面上须用 wss://），或本站路径如 /danmaku/demo，或 demo。原因见下方。节目照常播出，没有弹幕。',
      en: 'A danmaku feed must be a WebSocket address (ws:// or wss://; wss:// on an https page), a path on this site such as /danmaku/demo, or demo. The reason is below. The programme goes on without danmaku.',
    },
    actions: ['dismiss'],
  },
  'danmaku-feed-unreachable': {
    title: { zh: '弹幕源没有响应', en: 'The danmaku feed did not answer' },
    body: {
      zh: '多次尝试后仍无法连接弹幕源（地址见下方），节目中没有弹幕。演示弹幕源只在 npm run dev 或 npm run preview 的服务器上提供，静态托管的网站上没有；请在导播台的“弹幕”中填写一个可用的 WebSocket 地址后重新连接。',
      en: 'The danmaku feed could not be reached after several attempts (the address is below), so there are no danmaku on air. The demo feed exists only on the npm run dev or npm run preview server, not on a static host; enter a working WebSocket address under Danmaku in the Broadcast panel and connect again.',
    },
    actions: ['dismiss'],
  },
  'venue-offline': {
    title: { zh: '共享场馆不在线：单人模式', en: 'The shared venue is offline: on your own' },
    body: {
      zh: '没有连接到场馆服务器，所以看不到其他访客，别人也看不到你。其余功能照常可用。场馆服务器随 npm run dev、npm run preview 和 npm run serve 一起运行，静态托管的网站上没有。',
      en: 'The venue server could not be reached, so you see no other visitors and nobody sees you. Everything else works as usual. The venue server runs with npm run dev, npm run preview and npm run serve; a static host has none.',
    },
    actions: ['dismiss'],
  },
  'venue-refused': {
    title: { zh: '场馆服务器断开了你的连接', en: 'The venue server disconnected you' },
    body: {
      zh: '服务器拒绝了这个连接（原因见下方，例如名字太长或发送太频繁）。你现在是单人模式；重新加载页面即可再次进入。',
      en: 'The server refused this connection (the reason is below, e.g. a name too long or sending too fast). You are on your own now; reload the page to enter again.',
    },
    actions: ['reload', 'dismiss'],
  },
  'reshoot-programme-invalid': {
    title: { zh: '机位脚本无效，未重新拍摄', en: 'The camera programme is invalid: nothing was re-shot' },
    body: {
      zh: '重新拍摄所用的机位脚本有误（原因见下方，含出错位置）。录制照常回放；请修正脚本后重试。',
      en: 'The camera programme given for the re-shoot is wrong (the reason and where it is are below). The recording still replays; fix the programme and run the re-shoot again.',
    },
    actions: ['dismiss'],
  },
  'frame-budget-invalid': {
    title: { zh: '帧预算参数无效，已忽略', en: 'The frame budget option is not valid and was ignored' },
    body: {
      zh: '链接中的 frameBudgetMs 不是允许范围内的毫秒数（原因见下方）。灵境按头显的刷新率设定帧预算，照常运行；如需固定预算，请改正链接后重新打开。',
      en: 'frameBudgetMs in the link is not a number of milliseconds in the allowed range (the reason is below). Lingjing keeps the budget of the headset\'s refresh rate and runs as usual; fix the link and open it again to hold a fixed budget.',
    },
    actions: ['dismiss'],
  },
  'frame-system-disabled': {
    title: { zh: '一个功能出错，已停用', en: 'A part of the app failed and was switched off' },
    body: {
      zh: '某个每帧运行的功能连续三帧出错，为保护画面已停止运行（名称见下方）。其余部分照常运行；重新加载页面可再次启用它。',
      en: 'A part that runs every frame failed three frames in a row and was stopped to keep the picture going (its name is below). Everything else keeps running; reload the page to start it again.',
    },
    actions: ['reload', 'dismiss'],
  },
  'bench-option-invalid': {
    title: { zh: '基准测试参数无效，未加负载', en: 'The benchmark option is not valid: no load added' },
    body: {
      zh: '链接中的 workPerMs 超出允许范围（原因见下方），为避免页面卡死，基准负载已关闭。请使用 npm run bench 校准得到的数值。',
      en: 'workPerMs in the link is outside the allowed range (the reason is below), so the benchmark load is off rather than freezing the page. Use the value npm run bench calibrates.',
    },
    actions: ['dismiss'],
  },
  'reshoot-failed': {
    title: { zh: '重新拍摄失败', en: 'The re-shoot failed' },
    body: {
      zh: '重新拍摄在渲染或编码视频时停止（原因见下方），没有写出视频。回放照常继续。',
      en: 'The re-shoot stopped while rendering or encoding the video (the reason is below); no video was written. The replay goes on.',
    },
    actions: ['dismiss'],
  },
}

/** Builds the user-facing error for a kind, with an optional technical detail. */
export function createAppError(kind: AppErrorKind, detail?: string): AppError {
  const template = TEMPLATES[kind]
  return { kind, title: template.title, body: template.body, actions: [...template.actions], detail }
}

/**
 * The error for systems the frame loop disabled: one card (one per kind) that names every disabled
 * system with its phase and last error, in both languages.
 */
export function createFrameSystemError(disabled: readonly { name: string; phase: string; lastError: string }[]): AppError {
  const names = disabled.map((d) => `${d.phase}/${d.name}`).join(', ')
  const base = createAppError('frame-system-disabled', disabled.map((d) => `${d.phase}/${d.name}: ${d.lastError}`).join('\n'))
  return {
    ...base,
    body: {
      zh: `每帧运行的功能 ${names} 连续三帧出错，为保护画面已停止运行。其余部分照常运行；重新加载页面可再次启用它。`,
      en: `The per-frame system ${names} failed three frames in a row and was stopped to keep the picture going. Everything else keeps running; reload the page to start it again.`,
    },
  }
}

/**
 * The context-lost error while a recording or live output consumes the programme: says that the
 * broadcast holds its last frame and goes on by itself once the picture is back (the take is kept).
 */
export function createBroadcastContextLostError(): AppError {
  const base = createAppError('context-lost', 'broadcast: programme capture paused while the WebGL context is lost')
  return {
    ...base,
    body: {
      zh: base.body.zh + '录制和直播仍在进行，期间重复最后一帧；画面恢复后自动继续采集新画面，已录下的内容不会丢失。',
      en: base.body.en + ' Recording and live output keep running and repeat the last frame meanwhile; they pick up new frames by themselves once the picture is back, and nothing recorded is lost.',
    },
  }
}

/**
 * The error when the studio unmounts while `recording` and/or `live`: what stopped, that the take
 * is kept (the recorder finishes it on dispose), in both languages.
 */
export function createBroadcastInterruptedError(stopped: { recording: boolean; live: boolean }): AppError {
  const parts = [stopped.recording ? 'recording (take kept)' : '', stopped.live ? 'live output' : ''].filter(Boolean)
  return createAppError('broadcast-interrupted', `stopped: ${parts.join(', ')}`)
}

/**
 * Classifies a rejected `requestSession` by the DOMException name the WebXR spec gives:
 * NotSupportedError for an unsupported mode or feature, SecurityError/NotAllowedError for a
 * refusal, anything else is a plain failure.
 */
export function classifySessionError(error: unknown): AppError {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : ''
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'NotSupportedError') return createAppError('mode-unsupported', message)
  if (name === 'SecurityError' || name === 'NotAllowedError') return createAppError('session-denied', message)
  return createAppError('session-failed', message)
}

/** The kinds, for tests that prove every message exists in both languages. */
export const APP_ERROR_KINDS = Object.keys(TEMPLATES) as AppErrorKind[]
