/**
 * Distributor levels (DESIGN §5.5): upgrades by the distributor's own net sales (after refunds) and completed
 * orders over a rolling period — never by head-count. Levels are ordered from entry to top as configured.
 * Evaluation never downgrades; a manual override (with a reason, recorded by the caller) wins.
 */
import type { Fen } from '../money';
import type { DistributionLevel } from './settings';

export interface LevelStats {
  /** own net sales over the rolling period (after refunds) */
  netSalesFen: Fen;
  /** own completed orders over the rolling period */
  completedOrders: number;
}

export interface LevelProgress {
  next?: {
    id: string;
    name: string;
    netSalesFen: { have: Fen; need: Fen };
    completedOrders: { have: number; need: number };
    periodDays: number;
  };
}

export interface EvaluateLevelInput {
  levels: readonly DistributionLevel[];
  currentLevelId: string | null | undefined;
  stats: LevelStats;
  /** a level set by the merchant: kept as is */
  manualOverride?: { levelId: string } | string | null;
}

/** Whether `stats` meet a level's upgrade conditions (a level without conditions is never reached by upgrade). */
export function meetsUpgrade(level: DistributionLevel, stats: LevelStats): boolean {
  const u = level.upgrade;
  return !!u && stats.netSalesFen >= u.netSalesFen && stats.completedOrders >= u.completedOrders;
}

/**
 * The level a distributor should be at: the highest of their current level and every level whose conditions
 * they meet (an unknown current level counts as the entry level); `progress.next` is the next level above with
 * upgrade conditions, with what they have and need.
 *
 * Stats are computed per level over that level's `periodDays`; when levels use different periods pass the stats
 * for the largest period, or call per level — the default levels all use 90 days.
 */
export function evaluateLevel(input: EvaluateLevelInput): { levelId: string; progress: LevelProgress } {
  const { levels, stats } = input;
  if (levels.length === 0) throw new RangeError('no levels configured');
  const overrideId = typeof input.manualOverride === 'string' ? input.manualOverride : input.manualOverride?.levelId;
  let idx: number;
  const overrideIdx = overrideId ? levels.findIndex((l) => l.id === overrideId) : -1;
  if (overrideIdx >= 0) {
    idx = overrideIdx;
  } else {
    idx = Math.max(0, levels.findIndex((l) => l.id === input.currentLevelId));
    for (let i = idx + 1; i < levels.length; i++) if (meetsUpgrade(levels[i], stats)) idx = i;
  }
  const progress: LevelProgress = {};
  for (let i = idx + 1; i < levels.length; i++) {
    const u = levels[i].upgrade;
    if (!u) continue;
    progress.next = {
      id: levels[i].id,
      name: levels[i].name,
      netSalesFen: { have: stats.netSalesFen, need: u.netSalesFen },
      completedOrders: { have: stats.completedOrders, need: u.completedOrders },
      periodDays: u.periodDays,
    };
    break;
  }
  return { levelId: levels[idx].id, progress };
}
