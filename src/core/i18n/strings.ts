/** Languages every user-facing string exists in. */
export type Language = 'zh' | 'en'

/** A user-facing text in both languages. */
export interface Bilingual {
  zh: string
  en: string
}

/**
 * Every string the shell shows. Kept in one table so a test can prove both languages exist for
 * every key; experiences add their own tables of the same shape.
 */
export const STRINGS = {
  appName: { zh: '灵境', en: 'Lingjing' },
  tagline: { zh: '中关村论坛 · 元宇宙会场', en: 'Zhongguancun Forum · metaverse venue' },
  hubTitle: { zh: '太空基地', en: 'Outer-space base' },
  hubIntro: {
    zh: '欢迎来到轨道上的太空基地。选择一个体验，走进传送门。',
    en: 'Welcome to the base in orbit. Pick an experience and step through its portal.',
  },
  livestreamTitle: { zh: 'XR 直播间', en: 'XR livestream room' },
  livestreamBlurb: { zh: '戴上头显，你就是虚拟主播。', en: 'Put on the headset and become the virtual host.' },
  tianheTitle: { zh: '天和核心舱', en: 'Tianhe core module' },
  tianheBlurb: { zh: '在真实尺寸的核心舱里完成在轨任务。', en: 'Perform on-orbit tasks in the module at true scale.' },
  mascotTitle: { zh: '小关 AR 吉祥物', en: 'Xiaoguan AR mascot' },
  mascotBlurb: { zh: '把小关放在桌上，和它合影。', en: 'Place Xiaoguan on a real table and take a photo.' },
  enterVR: { zh: '进入 VR', en: 'Enter VR' },
  enterAR: { zh: '进入 AR', en: 'Enter AR' },
  exitXR: { zh: '退出', en: 'Exit' },
  backToHub: { zh: '返回太空基地', en: 'Back to the base' },
  language: { zh: 'English', en: '中文' },
  languageLabel: { zh: '切换语言', en: 'Switch language' },
  loading: { zh: '正在加载', en: 'Loading' },
  compiling: { zh: '正在准备着色器', en: 'Preparing shaders' },
  emulatorOn: { zh: '桌面模拟器预览', en: 'Desktop emulator preview' },
  emulatorHelp: {
    zh: '进入 VR 后，用鼠标和键盘操控模拟的头显与手柄。',
    en: 'After entering VR, use mouse and keyboard to drive the emulated headset and controllers.',
  },
  dismiss: { zh: '知道了', en: 'Dismiss' },
  retry: { zh: '重试', en: 'Try again' },
  reload: { zh: '重新加载', en: 'Reload' },
  openEmulator: { zh: '打开模拟器预览', en: 'Open the emulator preview' },
  queryWarning: { zh: '未识别的链接参数，已使用默认值：', en: 'Link options not understood, defaults used: ' },
  notFoundTitle: { zh: '找不到这个页面', en: 'This page does not exist' },
  notFoundBody: { zh: '链接可能有误。', en: 'The link may be mistyped.' },
  presenting: { zh: '沉浸模式中', en: 'In immersive mode' },
} as const satisfies Record<string, Bilingual>

/** Keys of the shell's string table. */
export type StringKey = keyof typeof STRINGS

/** A typed lookup into one area's table of bilingual strings: `(key, lang) => text`. */
export type StringLookup<K extends string> = (key: K, lang: Language) => string

/**
 * The one strings helper: a typed lookup for one area's table (shell, broadcast, live, danmaku,
 * replay, ...). Each table stays next to the code that shows it; only the lookup is shared.
 */
export function createStrings<T extends Record<string, Bilingual>>(table: T): StringLookup<Extract<keyof T, string>> {
  return (key, lang) => table[key][lang]
}

/** Looks up a shell string in the given language. */
export const t: StringLookup<StringKey> = createStrings(STRINGS)

/** Picks one language of a bilingual text. */
export function pick(text: Bilingual, lang: Language): string {
  return text[lang]
}
