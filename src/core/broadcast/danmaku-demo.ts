/**
 * The demo danmaku feed: comments from the Zhongguancun Forum's audience, in Chinese and English,
 * at the rhythm of a real room — a steady trickle (about one a second), and now and then a wave
 * when something happens on stage (a greeting, a cut, a demo), several people typing at once.
 * Seeded, so a preview shows the same sequence every time it connects with the same seed.
 */
import { createRng } from '../time/rng.ts'

/** One demo comment and the wait before it. */
export interface DemoDanmaku {
  delayMs: number
  text: string
  author: string
  color?: string
}

/** A seeded, endless sequence of demo comments. */
export interface DemoDanmakuScript {
  next(): DemoDanmaku
}

const AUTHORS = [
  '海淀观众',
  '中关村小白',
  '航天迷',
  '清华学生',
  '北航 Aero',
  'Guest from Berlin',
  'Maya (Toronto)',
  'Ken @ Osaka',
  '论坛志愿者',
  'XR 开发者',
  'Priya',
  '小关粉丝',
]

const TRICKLE = [
  '主播好！',
  '来自海淀的问候',
  'Hello from Berlin!',
  '这个直播间太酷了',
  'The studio looks amazing',
  '天和核心舱什么时候开讲？',
  'When do we visit Tianhe?',
  '灵境 = virtual reality，钱学森起的名字',
  'Qian Xuesen named VR 灵境, love it',
  '画质好清晰',
  'Is this running in a browser?',
  '头显是 Quest 3 吗',
  'WebXR FTW',
  '小关好可爱',
  'Xiaoguan is so cute',
  '论坛今年人真多',
  'Greetings from the Zhongguancun Forum',
  '求一个特写镜头',
  'Close-up please!',
  '机位切换好丝滑',
  'Smooth camera cuts',
  '第一次看 XR 直播',
  'First time watching an XR stream',
  '中关村加油',
  'Go ZGC!',
]

const WAVES: readonly (readonly string[])[] = [
  ['666', '666666', '太强了', 'Wow', '👏👏👏', '厉害了'],
  ['欢迎欢迎', 'Welcome!', '来了来了', 'Hi everyone 👋', '打卡'],
  ['哈哈哈哈', 'LOL', '笑死', '😂😂'],
  ['前方高能', 'Here it comes!', '高能预警', '🚀🚀🚀'],
]

// A few people set a colour (as on any danmaku site); most leave it white.
const COLORS = ['#ffd54f', '#4fc3ff', '#ff8a80', '#b9f6ca']

/** The first comment of every connection, so a viewer who just connected sees the feed is alive. */
export const DEMO_WELCOME: DemoDanmaku = { delayMs: 0, text: '欢迎来到灵境直播间 · Welcome to Lingjing', author: '论坛导播 Forum crew', color: '#4fc3ff' }

/** Creates the script for a seed. */
export function createDemoDanmakuScript(seed: number): DemoDanmakuScript {
  const rng = createRng(seed)
  const pick = <T>(list: readonly T[]): T => list[rng.int(0, list.length - 1)]
  let wave: readonly string[] | null = null
  let waveLeft = 0
  return {
    next() {
      const colour = rng.next() < 0.2 ? pick(COLORS) : undefined
      if (waveLeft > 0 && wave) {
        waveLeft--
        // People in a wave type within a few hundred milliseconds of each other.
        return { delayMs: Math.round(rng.range(180, 600)), text: pick(wave), author: pick(AUTHORS), color: colour }
      }
      if (rng.next() < 0.08) {
        wave = pick(WAVES)
        waveLeft = rng.int(3, 6)
      }
      // The trickle: exponential gaps (a Poisson stream) around 1.1 s, bounded so it never stalls.
      const gap = Math.min(4000, 300 - 800 * Math.log(1 - rng.next()))
      return { delayMs: Math.round(gap), text: pick(TRICKLE), author: pick(AUTHORS), color: colour }
    },
  }
}

/** The wire frame for a demo comment (the JSON form of the feed's format). */
export function demoDanmakuFrame(d: DemoDanmaku): string {
  return JSON.stringify(d.color ? { text: d.text, author: d.author, color: d.color } : { text: d.text, author: d.author })
}
