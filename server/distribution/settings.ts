/**
 * The distribution settings document (`settings/distribution`), cached per warm instance for 30 s like the shop
 * settings (server/settings.ts). Saving goes through core's compliance validator (DESIGN §9).
 */
import { resolveDistributionSettings, validateDistributionSettings, type DistributionSettings } from '../../core/distribution/settings';
import { fail, ok, type Result } from '../../core/errors';
import { db } from '../cloud';
import { audit } from '../audit';
import { loadShop } from '../settings';

export type { DistributionSettings };

const TTL_MS = 30_000;
let cached: { at: number; settings: DistributionSettings } | null = null;

export async function loadDistributionSettings(now: number): Promise<DistributionSettings> {
  if (cached && now - cached.at >= 0 && now - cached.at < TTL_MS) return cached.settings;
  const res = await db().collection('settings').doc('distribution').get();
  const settings = resolveDistributionSettings(res.data ?? null);
  cached = { at: now, settings };
  return settings;
}

export function invalidateDistributionSettings(): void {
  cached = null;
}

/** Validates (compliance) and stores the whole document; refused with the Chinese reason. */
export async function saveDistributionSettings(input: unknown, by: string, now: number): Promise<Result<DistributionSettings>> {
  const { settings: shop } = await loadShop(now);
  const v = validateDistributionSettings(input, { returnWindowDays: shop.returnWindowDays });
  if (!v.ok) return v;
  const settings = v.data;
  await db().collection('settings').doc('distribution').set({ data: { ...settings, updatedAt: now, updatedBy: by } });
  invalidateDistributionSettings();
  await audit(by, 'distribution.settings.save', 'settings/distribution', { settings }, now);
  return ok(settings);
}

export function settingsDisabled(): Result<never> {
  return fail('FORBIDDEN', '分销功能未开启');
}
