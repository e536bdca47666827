import type { FrameSummary, GovernorExplanation } from '../../core/frame'
import type { Language } from '../../core/app/options'

/** What one HUD picture shows; gathered at HUD refresh rate (a few Hz), never per frame. */
export interface FrameHudData {
  costs: Float64Array
  count: number
  summary: FrameSummary
  governor: GovernorExplanation
  budgetMs: number
  refreshHz: number
  /** Systems the loop disabled after repeated errors (shown in red; the error list explains). */
  disabledSystems: readonly string[]
}

const PHASE_LABEL: Record<string, { zh: string; en: string }> = {
  input: { zh: '输入', en: 'input' },
  simulation: { zh: '模拟', en: 'simulation' },
  animation: { zh: '动画', en: 'animation' },
  jobs: { zh: '任务', en: 'jobs' },
  render: { zh: '渲染', en: 'render' },
  post: { zh: '收尾', en: 'post' },
}

/**
 * Draws the frame-budget HUD: frame cost per frame against the budget line, phase costs, misses
 * and the governor's state. Shared by the desktop overlay and the in-world panel.
 */
export function drawFrameHud(ctx: CanvasRenderingContext2D, width: number, height: number, data: FrameHudData, lang: Language): void {
  const zh = lang === 'zh'
  ctx.clearRect(0, 0, width, height)
  ctx.fillStyle = 'rgba(6,12,24,0.88)'
  ctx.fillRect(0, 0, width, height)
  const font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif'
  const s = data.summary
  ctx.fillStyle = '#eaf6ff'
  ctx.font = `600 ${Math.round(height * 0.07)}px ${font}`
  ctx.textBaseline = 'top'
  const title = zh
    ? `帧预算 ${data.budgetMs.toFixed(1)} ms（${data.refreshHz} Hz）`
    : `Frame budget ${data.budgetMs.toFixed(1)} ms (${data.refreshHz} Hz)`
  ctx.fillText(title, 10, 8)

  // Plot: one bar per frame, red when over budget, with the budget line.
  const plotTop = height * 0.17
  const plotHeight = height * 0.42
  const plotLeft = 10
  const plotWidth = width - 20
  const maxMs = Math.max(data.budgetMs * 2, 1)
  ctx.fillStyle = 'rgba(255,255,255,0.06)'
  ctx.fillRect(plotLeft, plotTop, plotWidth, plotHeight)
  const n = data.count
  const barWidth = plotWidth / Math.max(n, 1)
  for (let i = 0; i < n; i++) {
    const cost = data.costs[i]
    const h = (Math.min(cost, maxMs) / maxMs) * plotHeight
    ctx.fillStyle = cost > data.budgetMs ? '#ff5b5b' : '#4fc3ff'
    ctx.fillRect(plotLeft + i * barWidth, plotTop + plotHeight - h, Math.max(barWidth - 0.5, 0.5), h)
  }
  const budgetY = plotTop + plotHeight - (data.budgetMs / maxMs) * plotHeight
  ctx.strokeStyle = '#ffd166'
  ctx.setLineDash([6, 4])
  ctx.beginPath()
  ctx.moveTo(plotLeft, budgetY)
  ctx.lineTo(plotLeft + plotWidth, budgetY)
  ctx.stroke()
  ctx.setLineDash([])

  const line = (text: string, row: number, color = '#cfe9ff') => {
    ctx.fillStyle = color
    ctx.font = `${Math.round(height * 0.052)}px ${font}`
    ctx.fillText(text, 10, plotTop + plotHeight + 6 + row * height * 0.066)
  }
  line(
    zh
      ? `p50 ${s.p50Ms.toFixed(1)} · p95 ${s.p95Ms.toFixed(1)} · p99 ${s.p99Ms.toFixed(1)} ms · 超预算 ${s.overBudget}/${s.frames} · 最长连续 ${s.longestMissRun}`
      : `p50 ${s.p50Ms.toFixed(1)} · p95 ${s.p95Ms.toFixed(1)} · p99 ${s.p99Ms.toFixed(1)} ms · over ${s.overBudget}/${s.frames} · longest run ${s.longestMissRun}`,
    0,
  )
  const phases = Object.entries(s.phaseP50Ms)
    .map(([phase, ms]) => `${PHASE_LABEL[phase]?.[lang] ?? phase} ${ms.toFixed(1)}`)
    .join(' · ')
  line(`${zh ? '各阶段 p50' : 'phase p50'}: ${phases}`, 1)
  const g = data.governor
  line(
    `${zh ? '画质' : 'quality'} ${(g.quality * 100).toFixed(0)}% · ${g.enabled ? (zh ? '调节中' : 'governed') : zh ? '未调节' : 'not governed'} · ${zh ? '切换' : 'flips'} ${g.flips}`,
    2,
    '#ffd166',
  )
  line(g.reason[lang], 3, '#ffd166')
  line(g.scalers.map((sc) => `${sc.label[lang]} ${sc.level}/${sc.maxLevel}`).join(' · '), 4)
  if (data.disabledSystems.length > 0) line(disabledSystemsLine(data.disabledSystems, lang), 5, '#ff5b5b')
}

/** The HUD's line for systems the loop disabled. */
export function disabledSystemsLine(names: readonly string[], lang: Language): string {
  return lang === 'zh' ? `已停用（连续出错）：${names.join('、')}` : `disabled after errors: ${names.join(', ')}`
}
