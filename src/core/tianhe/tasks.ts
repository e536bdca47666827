import { FILTER_DP_OK_RANGE, filterDpSettled, hasUnacknowledgedAlarm, readLifeSupport, type LifeSupportQuantity } from './life-support.ts'
import type { ActionType, DispatchAction, DispatchResult, ProcedureDefinition, ProcedureRunner, StepDefinition } from './procedure-engine'
import {
  ARM_TARGET_TOLERANCE_M,
  DEFAULT_STOWAGE_LIST,
  ITEM_IDS,
  SPARE_CARTRIDGE_SLOT,
  applyTianheAction,
  armDriveEnabled,
  armTargetDistance,
  type TianheWorld,
} from './tianhe-world.ts'

/**
 * The Tianhe crew tasks as data, modelled on real work aboard (Shenzhou-12 onward): the morning
 * station check, cargo transfer from Tianzhou, a life-support filter change, robotic-arm
 * operation, a Tiangong-classroom demo and daily exercise. Fixture ids refer to
 * module-layout.ts; world effects live in tianhe-world.ts.
 */

/** Task ids. */
export const TIANHE_TASK_IDS = ['morning-check', 'cargo-transfer', 'filter-replacement', 'robotic-arm', 'tiangong-classroom', 'treadmill-exercise'] as const
/** A Tianhe task id. */
export type TianheTaskId = (typeof TIANHE_TASK_IDS)[number]

/**
 * The action types each interactive fixture produces, so the scene knows what to dispatch (e.g.
 * the alarm button sends 'ack', the console 'press' or 'read'). Stowage slots are listed by kind.
 */
export const FIXTURE_ACTIONS: Readonly<Record<string, readonly ActionType[]>> = {
  'console-main': ['press', 'read', 'ack'],
  'alarm-ack': ['ack'],
  'hatch-tianzhou': ['turn', 'grab', 'place'],
  stowage: ['grab', 'place'],
  'filter-panel': ['turn', 'read'],
  'filter-slot': ['turn', 'grab', 'place'],
  'arm-console': ['press', 'turn'],
  'arm-joystick-left': ['grab', 'turn'],
  'arm-joystick-right': ['grab', 'turn'],
  'water-ball-station': ['press', 'grab', 'place', 'ack'],
  'water-ball': ['place', 'grab', 'read'],
  'treadmill-harness': ['grab'],
  treadmill: ['press', 'read'],
}

/** Answer choices for the classroom question (the scene shows them as buttons). */
export const CLASSROOM_ANSWERS = [
  { value: 'no-buoyancy', label: { zh: '失重环境下浮力几乎消失', en: 'In weightlessness there is (almost) no buoyancy' } },
  { value: 'surface-tension', label: { zh: '表面张力把球拉住了', en: 'Surface tension holds the ball' } },
  { value: 'ball-too-heavy', label: { zh: '乒乓球太重', en: 'The ball is too heavy' } },
] as const

/** Options for {@link createTianheTasks}. */
export interface TianheTaskOptions {
  /** Bag → slot list for the cargo task (must match the world's). */
  stowageList?: Readonly<Record<string, string>>
  /** Treadmill run length (s). Default 60. */
  treadmillSeconds?: number
}

type Step = StepDefinition<TianheWorld>

function readStep(id: string, quantity: LifeSupportQuantity, tolerance: number, zh: string, en: string, hintZh: string, hintEn: string): Step {
  return {
    id,
    text: { zh, en },
    hint: { zh: hintZh, en: hintEn },
    target: 'console-main',
    precondition: (w) => w.consoleAwake,
    // The expected value is whatever the console shows now (the model drifts).
    action: { type: 'read', fixture: 'console-main', value: (w) => readLifeSupport(w.lifeSupport, quantity), tolerance },
    points: 10,
  }
}

function morningCheck(): ProcedureDefinition<TianheWorld> {
  return {
    id: 'morning-check',
    title: { zh: '早间站务检查', en: 'Morning station check' },
    parTimeS: 180,
    steps: [
      {
        id: 'wake-console',
        text: { zh: '飘到大柱段工作区的主控台，点亮屏幕并打开环控生保页面。', en: 'Float to the main console in the large-column work area; wake the screen and open the life-support page.' },
        hint: { zh: '主控台在工作区 +X 一侧的舱壁上，点一下屏幕即可唤醒。', en: 'The main console is on the +X wall of the work area; tap the screen to wake it.' },
        action: { type: 'press', fixture: 'console-main' },
        verify: (w) => w.consoleAwake,
        points: 5,
      },
      readStep('read-pressure', 'pressure', 0.2, '读出舱内总压（kPa），填入检查单。', 'Read the cabin pressure (kPa) and enter it in the checklist.', '正常舱压约 101 kPa，读到小数点后一位。', 'Normal cabin pressure is about 101 kPa; read it to one decimal.'),
      readStep('read-o2', 'o2', 0.2, '读出氧分压（kPa）。', 'Read the oxygen partial pressure (kPa).', '氧分压约 21 kPa，读到小数点后一位。', 'ppO2 is about 21 kPa; read it to one decimal.'),
      readStep('read-co2', 'co2', 0.02, '读出二氧化碳分压（kPa）。', 'Read the CO2 partial pressure (kPa).', '正常应低于 0.53 kPa（约 4 mmHg），读到小数点后两位。', 'It should be below 0.53 kPa (about 4 mmHg); read it to two decimals.'),
      readStep('read-temperature', 'temperature', 0.2, '读出舱内温度（°C）。', 'Read the cabin air temperature (°C).', '舱温一般在 21–25 °C 之间。', 'Cabin temperature is usually 21–25 °C.'),
      {
        id: 'ack-alarm',
        text: { zh: '告警系统自检发出了告警：核对告警内容，然后按下告警确认按钮。', en: 'The caution & warning self-test is showing an alarm: check it, then press the alarm acknowledge button.' },
        hint: { zh: '确认按钮在主控台旁边，带黄色边框。', en: 'The acknowledge button is next to the main console, with a yellow frame.' },
        action: { type: 'ack', fixture: 'alarm-ack' },
        verify: (w) => !hasUnacknowledgedAlarm(w.lifeSupport),
        points: 10,
      },
    ],
  }
}

function cargoTransfer(list: Readonly<Record<string, string>>): ProcedureDefinition<TianheWorld> {
  const bags = Object.keys(list)
  const main: Step[] = [
    {
      id: 'open-hatch',
      text: { zh: '穿过后向通道来到天舟货运飞船舱门，打开舱门。', en: 'Go through the aft passage to the Tianzhou cargo-ship hatch and open it.' },
      hint: { zh: '后向通道在大柱段尾部舱壁的中央。', en: 'The aft passage starts in the middle of the aft bulkhead of the large column.' },
      action: { type: 'turn', fixture: 'hatch-tianzhou', value: 'open' },
      points: 5,
    },
  ]
  const branches: Step[] = []
  for (const bag of bags) {
    const slot = list[bag]
    const slotLabel = slot.replace('stowage-s', 'S-')
    main.push(
      {
        id: `unload-${bag}`,
        text: { zh: `从天舟舱门取出货包 ${bag}。`, en: `Take cargo bag ${bag} out of Tianzhou.` },
        hint: { zh: '按清单顺序取货包，货包上贴着编号标签；两只手最多拿两个。', en: 'Take the bags in list order; each carries an id label. Two hands, two bags at most.' },
        target: 'hatch-tianzhou',
        precondition: (w) => w.tianzhouHatchOpen || w.held.includes(bag),
        // Auto: if the bag is already in hand (took two at once) the step completes by itself.
        action: { type: 'grab', fixture: 'hatch-tianzhou', item: bag },
        verify: (w) => w.held.includes(bag),
        auto: true,
        points: 5,
      },
      {
        id: `stow-${bag}`,
        text: { zh: `按存放清单把 ${bag} 放进储物格 ${slotLabel}。`, en: `Stow ${bag} in slot ${slotLabel}, as the stowage list says.` },
        hint: { zh: `储物格 ${slotLabel} 在大柱段尾部的储物环上，格子上印着编号。`, en: `Slot ${slotLabel} is in the stowage ring at the aft end of the large column; slots are numbered.` },
        action: { type: 'place', fixture: slot, item: bag },
        verify: (w) => w.stowage[slot] === bag,
        onError: { 'wrong-fixture': `retrieve-${bag}` },
        points: 10,
      },
    )
    branches.push({
      id: `retrieve-${bag}`,
      text: { zh: `放错了格子：把 ${bag} 取回来。`, en: `Wrong slot: take ${bag} back out.` },
      hint: { zh: '对照存放清单，再核对一遍格子编号。', en: 'Check the slot number against the stowage list again.' },
      action: { type: 'grab', fixture: '*', item: bag },
      verify: (w) => w.held.includes(bag),
      auto: true,
      branch: true,
      next: `stow-${bag}`,
      points: 0,
    })
  }
  main.push({
    id: 'log-stowage',
    text: { zh: '在主控台确认物资存放记录。', en: 'Confirm the stowage log on the main console.' },
    hint: { zh: '全部货包都放好后，在主控台的物资管理页面确认。', en: 'Once every bag is stowed, confirm on the console inventory page.' },
    action: { type: 'ack', fixture: 'console-main' },
    verify: (w) => bags.every((b) => w.stowage[list[b]] === b),
    points: 10,
  })
  return { id: 'cargo-transfer', title: { zh: '天舟货物转运', en: 'Tianzhou cargo transfer' }, parTimeS: 60 + 60 * bags.length, steps: [...main, ...branches] }
}

function filterReplacement(): ProcedureDefinition<TianheWorld> {
  const old = ITEM_IDS.oldCartridge
  const fresh = ITEM_IDS.newCartridge
  const inRange = (w: TianheWorld) => w.lifeSupport.filterDpKPa >= FILTER_DP_OK_RANGE[0] && w.lifeSupport.filterDpKPa <= FILTER_DP_OK_RANGE[1]
  return {
    id: 'filter-replacement',
    title: { zh: '更换环控过滤芯', en: 'Replace a life-support filter cartridge' },
    parTimeS: 240,
    steps: [
      {
        id: 'open-panel',
        text: { zh: '打开环控过滤器面板（风机会自动停转）。', en: 'Open the life-support filter panel (the fan stops automatically).' },
        hint: { zh: '面板在大柱段锻炼区前方的 −X 舱壁上。', en: 'The panel is on the −X wall, just fore of the exercise area.' },
        action: { type: 'turn', fixture: 'filter-panel', value: 'open' },
        points: 5,
      },
      {
        id: 'unlock-cartridge',
        text: { zh: '松开旧过滤芯的锁扣。', en: 'Unlatch the old cartridge.' },
        hint: { zh: '把锁扣转到“开锁”位置。', en: 'Turn the latch to "unlocked".' },
        precondition: (w) => w.lifeSupport.panelOpen,
        action: { type: 'turn', fixture: 'filter-slot', value: 'unlocked' },
        points: 5,
      },
      {
        id: 'remove-old',
        text: { zh: '取出旧过滤芯。', en: 'Pull out the old cartridge.' },
        hint: { zh: '空出一只手，握住过滤芯把手向外拉。', en: 'Free a hand, take the cartridge handle and pull.' },
        action: { type: 'grab', fixture: 'filter-slot', item: old },
        verify: (w) => w.held.includes(old),
        points: 10,
      },
      {
        id: 'stow-old',
        text: { zh: '把旧过滤芯放进废弃物储存格。', en: 'Put the old cartridge in the waste stowage.' },
        hint: { zh: '废弃物储存格在储物环的地板一侧。', en: 'Waste stowage is on the floor side of the stowage ring.' },
        action: { type: 'place', fixture: 'stowage-waste', item: old },
        verify: (w) => w.stowage['stowage-waste'] === old,
        points: 5,
      },
      {
        id: 'fetch-new',
        text: { zh: '从储物格 S-08 取出新过滤芯。', en: 'Take the new cartridge from stowage S-08.' },
        hint: { zh: 'S-08 在储物环靠后一圈。', en: 'S-08 is in the aft row of the stowage ring.' },
        action: { type: 'grab', fixture: SPARE_CARTRIDGE_SLOT, item: fresh },
        verify: (w) => w.held.includes(fresh),
        points: 5,
      },
      {
        id: 'install-new',
        text: { zh: '把新过滤芯推入安装槽。', en: 'Slide the new cartridge into the slot.' },
        hint: { zh: '注意箭头方向与气流方向一致。', en: 'The arrow on the cartridge points with the airflow.' },
        precondition: (w) => w.lifeSupport.panelOpen,
        action: { type: 'place', fixture: 'filter-slot', item: fresh },
        verify: (w) => w.lifeSupport.cartridge === 'new',
        points: 10,
      },
      {
        id: 'lock-cartridge',
        text: { zh: '锁紧过滤芯锁扣。', en: 'Latch the cartridge.' },
        hint: { zh: '没锁紧的过滤芯会漏气旁通，压差会偏低。', en: 'An unlatched cartridge lets air bypass it and the pressure drop reads low.' },
        action: { type: 'turn', fixture: 'filter-slot', value: 'locked' },
        verify: (w) => w.lifeSupport.cartridgeLocked,
        points: 5,
      },
      {
        id: 'close-panel',
        text: { zh: '关上面板，风机重新启动。', en: 'Close the panel; the fan restarts.' },
        hint: { zh: '面板关好后风机联锁解除。', en: 'Closing the panel clears the fan interlock.' },
        action: { type: 'turn', fixture: 'filter-panel', value: 'closed' },
        verify: (w) => !w.lifeSupport.panelOpen,
        points: 5,
      },
      {
        id: 'verify-dp',
        text: {
          zh: `等读数稳定后读出过滤器压差，应在 ${FILTER_DP_OK_RANGE[0]}–${FILTER_DP_OK_RANGE[1]} kPa 之间。`,
          en: `When the gauge settles, read the filter pressure drop; it should be ${FILTER_DP_OK_RANGE[0]}–${FILTER_DP_OK_RANGE[1]} kPa.`,
        },
        hint: { zh: '压差表在过滤器面板上；旧滤芯堵塞时压差会高于 1 kPa。', en: 'The gauge is on the filter panel; a clogged cartridge reads over 1 kPa.' },
        // Reading while the fan is still spinning up is not a mistake: wait for the gauge.
        precondition: (w) => !w.lifeSupport.panelOpen && filterDpSettled(w.lifeSupport),
        action: { type: 'read', fixture: 'filter-panel', value: (w) => readLifeSupport(w.lifeSupport, 'filter-dp'), tolerance: 0.03 },
        verify: inRange,
        onError: { 'verify-failed': 'reseat-open' },
        points: 15,
      },
      {
        id: 'reseat-open',
        text: { zh: '压差不在范围内：重新打开面板检查过滤芯。', en: 'Pressure drop out of range: open the panel again and check the cartridge.' },
        hint: { zh: '检查是否装的是新过滤芯、锁扣是否锁紧。', en: 'Check it is the new cartridge and that the latch is closed.' },
        action: { type: 'turn', fixture: 'filter-panel', value: 'open' },
        branch: true,
        points: 0,
      },
      {
        id: 'reseat-lock',
        text: { zh: '重新锁紧过滤芯锁扣。', en: 'Re-latch the cartridge.' },
        hint: { zh: '把锁扣转到“锁紧”位置。', en: 'Turn the latch to "locked".' },
        action: { type: 'turn', fixture: 'filter-slot', value: 'locked' },
        branch: true,
        points: 0,
      },
      {
        id: 'reseat-close',
        text: { zh: '关上面板，再读一次压差。', en: 'Close the panel and read the pressure drop again.' },
        hint: { zh: '关好面板后等读数稳定。', en: 'Close the panel and let the gauge settle.' },
        action: { type: 'turn', fixture: 'filter-panel', value: 'closed' },
        branch: true,
        next: 'verify-dp',
        points: 0,
      },
    ],
  }
}

function roboticArm(): ProcedureDefinition<TianheWorld> {
  return {
    id: 'robotic-arm',
    title: { zh: '机械臂操作', en: 'Robotic-arm operation' },
    parTimeS: 300,
    steps: [
      {
        id: 'power-arm',
        text: { zh: '在机械臂操作台上给机械臂加电。', en: 'Power up the robotic arm at the arm workstation.' },
        hint: { zh: '操作台在工作区 −X 一侧，屏幕下方有两个手柄。', en: 'The workstation is on the −X side of the work area, with two joysticks below the screen.' },
        action: { type: 'press', fixture: 'arm-console', value: 'power-on' },
        verify: (w) => w.armPowered,
        points: 5,
      },
      {
        id: 'select-mode',
        text: { zh: '把控制模式切换到“末端直角坐标”模式。', en: 'Switch the control mode to end-effector (Cartesian).' },
        hint: { zh: '在这个模式下，左手柄控制平移，右手柄控制转动。', en: 'In this mode the left stick translates the tip and the right stick rotates it.' },
        action: { type: 'turn', fixture: 'arm-console', value: 'cartesian' },
        verify: (w) => armDriveEnabled(w),
        points: 5,
      },
      {
        id: 'grip-left',
        text: { zh: '左手握住平移手柄。', en: 'Take the translation joystick in your left hand.' },
        hint: { zh: '靠前的那个手柄。', en: 'The one further fore.' },
        action: { type: 'grab', fixture: 'arm-joystick-left' },
        points: 5,
      },
      {
        id: 'grip-right',
        text: { zh: '右手握住旋转手柄。', en: 'Take the rotation joystick in your right hand.' },
        hint: { zh: '靠后的那个手柄。', en: 'The one further aft.' },
        action: { type: 'grab', fixture: 'arm-joystick-right' },
        points: 5,
      },
      {
        id: 'drive-to-target',
        text: {
          zh: `操纵机械臂末端到达目标点（误差不超过 ${ARM_TARGET_TOLERANCE_M} 米）。`,
          en: `Drive the arm's tip to the target (within ${ARM_TARGET_TOLERANCE_M} m).`,
        },
        hint: { zh: '先大致对准方向再慢慢逼近；关节到限位时换个方向绕一下。', en: 'Line up roughly first, then close in slowly; if a joint hits its limit, go round another way.' },
        precondition: (w) => armDriveEnabled(w),
        action: { type: 'turn', fixture: 'arm-joystick-left' },
        verify: (w) => armTargetDistance(w) <= ARM_TARGET_TOLERANCE_M,
        auto: true,
        timeLimitS: 900,
        points: 30,
      },
      {
        id: 'apply-brakes',
        text: { zh: '刹住机械臂，保持位置。', en: 'Apply the arm brakes to hold position.' },
        hint: { zh: '操作台上的“制动”按钮。', en: 'The BRAKE button on the workstation.' },
        action: { type: 'press', fixture: 'arm-console', value: 'brake' },
        verify: (w) => w.armBraked && armTargetDistance(w) <= ARM_TARGET_TOLERANCE_M,
        points: 10,
      },
    ],
  }
}

/** How long the ball must stay put in the classroom demo (s). */
export const CLASSROOM_OBSERVE_S = 5

function tiangongClassroom(): ProcedureDefinition<TianheWorld> {
  const ball = ITEM_IDS.pingPongBall
  return {
    id: 'tiangong-classroom',
    title: { zh: '天宫课堂：水球里的乒乓球', en: 'Tiangong classroom: a ping-pong ball in a water ball' },
    parTimeS: 120,
    steps: [
      {
        id: 'dispense-water',
        text: { zh: '在水球实验台挤出一个水球。', en: 'Dispense a water ball at the demo station.' },
        hint: { zh: '按下实验台上的出水按钮，水会在表面张力作用下聚成球。', en: 'Press the dispense button; surface tension pulls the water into a ball.' },
        action: { type: 'press', fixture: 'water-ball-station' },
        verify: (w) => w.waterBall.active,
        points: 5,
      },
      {
        id: 'take-ball',
        text: { zh: '拿起乒乓球。', en: 'Pick up the ping-pong ball.' },
        hint: { zh: '乒乓球卡在实验台的小夹子上。', en: 'The ball is clipped to the station.' },
        action: { type: 'grab', fixture: 'water-ball-station', item: ball },
        verify: (w) => w.held.includes(ball),
        points: 5,
      },
      {
        id: 'place-ball',
        text: { zh: '把乒乓球按进水球中央，然后松手。', en: 'Push the ball into the middle of the water ball and let go.' },
        hint: { zh: '动作要轻，不要把水球戳破。', en: 'Gently, so you do not break the water ball.' },
        action: { type: 'place', fixture: 'water-ball', item: ball },
        verify: (w) => w.waterBall.ballInside,
        points: 10,
      },
      {
        id: 'observe',
        text: { zh: `观察 ${CLASSROOM_OBSERVE_S} 秒：乒乓球停在水里不动。`, en: `Watch for ${CLASSROOM_OBSERVE_S} s: the ball stays where it is.` },
        hint: { zh: '在地面上，乒乓球会立刻浮上水面。', en: 'On the ground the ball would pop straight up to the surface.' },
        action: { type: 'read', fixture: 'water-ball' },
        verify: (w) => w.waterBall.ballInside && w.waterBall.stillTimeS >= CLASSROOM_OBSERVE_S,
        auto: true,
        points: 10,
      },
      {
        id: 'explain',
        text: { zh: '回答：乒乓球为什么没有浮起来？', en: 'Answer: why does the ball not float up?' },
        hint: { zh: '浮力来自水的重量产生的压力差。', en: 'Buoyancy comes from the pressure difference that the weight of the water creates.' },
        action: { type: 'ack', fixture: 'water-ball-station', value: 'no-buoyancy' },
        points: 10,
      },
    ],
  }
}

function treadmillExercise(seconds: number): ProcedureDefinition<TianheWorld> {
  return {
    id: 'treadmill-exercise',
    title: { zh: '跑台锻炼', en: 'Treadmill exercise' },
    parTimeS: seconds + 60,
    steps: [
      {
        id: 'don-harness',
        text: { zh: '穿上跑台束缚背带（弹力绳把你拉向跑台）。', en: 'Put on the treadmill harness (bungees pull you onto the belt).' },
        hint: { zh: '没有背带，一迈步就会飘走。', en: 'Without the harness you would float away with the first step.' },
        action: { type: 'grab', fixture: 'treadmill-harness' },
        verify: (w) => w.treadmill.harnessed,
        points: 5,
      },
      {
        id: 'start-treadmill',
        text: { zh: '启动跑台。', en: 'Start the treadmill.' },
        hint: { zh: '控制面板在跑台前端。', en: 'The control panel is at the front of the treadmill.' },
        precondition: (w) => w.treadmill.harnessed,
        action: { type: 'press', fixture: 'treadmill', value: 'start' },
        verify: (w) => w.treadmill.running,
        points: 5,
      },
      {
        id: 'run',
        text: { zh: `跑步 ${seconds} 秒。`, en: `Run for ${seconds} s.` },
        hint: { zh: '在轨锻炼能减缓肌肉萎缩和骨质流失。', en: 'Exercise in orbit slows muscle and bone loss.' },
        action: { type: 'read', fixture: 'treadmill' },
        verify: (w) => w.treadmill.runTimeS >= seconds,
        auto: true,
        points: 20,
      },
      {
        id: 'stop-treadmill',
        text: { zh: '停止跑台。', en: 'Stop the treadmill.' },
        hint: { zh: '再按一次控制面板。', en: 'Use the control panel again.' },
        action: { type: 'press', fixture: 'treadmill', value: 'stop' },
        verify: (w) => !w.treadmill.running,
        points: 5,
      },
    ],
  }
}

/** Builds the task definitions (validated when handed to `createProcedureRunner`). */
export function createTianheTasks(options: TianheTaskOptions = {}): ProcedureDefinition<TianheWorld>[] {
  return [
    morningCheck(),
    cargoTransfer(options.stowageList ?? DEFAULT_STOWAGE_LIST),
    filterReplacement(),
    roboticArm(),
    tiangongClassroom(),
    treadmillExercise(options.treadmillSeconds ?? 60),
  ]
}

/**
 * The scene's one call per user action: apply the physical effect to the world, then let the
 * runner judge it (so verification sees the result of the action).
 */
export function performTianheAction(world: TianheWorld, runner: ProcedureRunner<TianheWorld>, action: DispatchAction): DispatchResult {
  applyTianheAction(world, action)
  return runner.dispatch(action)
}
