import { createStrings, type Bilingual } from '../i18n/strings'

/** Every user-facing string of the danmaku desk, in Chinese and English. */
export const DANMAKU_STRINGS = {
  title: { zh: '弹幕', en: 'Danmaku' },
  url: { zh: '弹幕源地址', en: 'Feed address' },
  connect: { zh: '连接', en: 'Connect' },
  disconnect: { zh: '断开', en: 'Disconnect' },
  onAir: { zh: '弹幕上屏', en: 'Danmaku on air' },
  state: { zh: '状态', en: 'State' },
  off: { zh: '未连接', en: 'Off' },
  connecting: { zh: '正在连接…', en: 'Connecting…' },
  open: { zh: '已连接', en: 'Connected' },
  reconnecting: { zh: '连接中断，稍后重连', en: 'Lost, reconnecting' },
  error: { zh: '无法连接', en: 'Not reachable' },
  retryIn: { zh: '秒后重试', en: 's to the next try' },
  unreachable: {
    zh: '没有服务器响应这个地址。演示弹幕源只在 npm run dev / preview 的服务器上提供，静态托管的网站上没有。',
    en: 'No server answered at this address. The demo feed exists only on the npm run dev / preview server, not on a static host.',
  },
  refused: { zh: '浏览器拒绝了这个地址：', en: 'The browser refused this address: ' },
  invalid: { zh: '地址无效：须为 ws://、wss://、本站路径或 demo', en: 'Not a valid address: use ws://, wss://, a path on this site or demo' },
  shown: { zh: '已上屏', en: 'Shown' },
  active: { zh: '屏上', en: 'On screen' },
  droppedRate: { zh: '超速丢弃', en: 'Dropped (rate)' },
  droppedQueue: { zh: '排队丢弃', en: 'Dropped (queue)' },
  malformed: { zh: '格式错误', en: 'Malformed' },
  truncated: { zh: '过长截断', en: 'Too long (cut)' },
  recent: { zh: '最新弹幕', en: 'Latest' },
  none: { zh: '还没有弹幕', en: 'No danmaku yet' },
} satisfies Record<string, Bilingual>

/** A danmaku string in the current language. */
export const dt = createStrings(DANMAKU_STRINGS)
