/**
 * The merchant's 佣金规则 editor on 分销设置 (H5 build, seeded local cloud): the merchant adds a 12% rule for a
 * product and excludes a category, the client refuses a rate with three decimals in Chinese, and after 保存设置
 * the settings doc holds exactly those rules with integer basis points. Screenshot: .tmp/screenshots/r01-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { startMall, newVisitor, shot, until, watchErrors, type LocalCloud } from './harness';

jest.setTimeout(120_000);

const MERCHANT = 'o_demo_merchant';
let lc: LocalCloud;
let ctx: BrowserContext;
let page: Page;
let errors: string[] = [];

// the rule sheet is a popup that may render outside the page element, so it is looked up page-wide
const vis = (sel: string) => page.locator(`${sel}:visible`);

beforeAll(async () => {
  lc = await startMall();
  ctx = await newVisitor();
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(20_000);
  errors = watchErrors(page);
});

afterAll(async () => {
  await ctx?.close();
  await lc?.stop();
});

async function pickTarget(): Promise<string> {
  const opt = vis('[data-testid=rule-target] [data-testid=rule-target-opt]').first();
  await opt.waitFor();
  const id = await opt.getAttribute('data-id');
  await opt.click();
  return id ?? '';
}

test('the merchant adds a product rate rule and a category exclusion, and saving stores them', async () => {
  await page.goto(`${lc.url}/`);
  await page.locator('.taro_page:visible [data-testid=goods-card]').first().waitFor({ timeout: 30_000 });
  const res = await page.evaluate((o) => fetch('/__dev/signin', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: o }),
  }).then((r) => r.status), MERCHANT);
  expect(res).toBe(200);
  await page.goto(`${lc.url}/#/subpkg-admin/dist-settings/index`);
  await page.reload(); // a fresh app load reads the merchant's roles
  await vis('[data-testid=dist-settings-form]').waitFor();
  expect(await vis('[data-testid=rule-item]').count()).toBe(0);

  // a product at 12% (after a refused 12.345%)
  await vis('[data-testid=rules-add]').click();
  await vis('[data-testid=rule-form]').waitFor();
  await vis('[data-testid=rule-scope-product]').click();
  const productId = await pickTarget();
  expect(lc.db.get('products', productId)).toBeTruthy();
  await vis('[data-testid=rule-type-rate]').click();
  await vis('[data-testid=rule-percent] input').fill('12.345');
  await vis('[data-testid=rule-save]').click();
  await expect(vis('[data-testid=rule-error]').innerText()).resolves.toContain('最多两位小数');
  await vis('[data-testid=rule-percent] input').fill('12');
  await vis('[data-testid=rule-save]').click();
  await vis('[data-testid=rule-form]').waitFor({ state: 'hidden' });
  const first = vis('[data-testid=rule-item]').first();
  await first.waitFor();
  expect(await first.innerText()).toContain('直推 12%');
  expect(await first.innerText()).toContain(String(lc.db.get('products', productId).title));

  // editing it: an amount tier 满 ¥100 按 15%
  await first.locator('[data-testid=rule-edit]').click();
  await vis('[data-testid=rule-form]').waitFor();
  expect(await vis('[data-testid=rule-percent] input').inputValue()).toBe('12');
  await vis('[data-testid=rule-at-add]').click();
  const row = vis('[data-testid=rule-at-row]').first();
  await row.locator('input').nth(0).fill('100');
  await row.locator('input').nth(1).fill('15');
  await shot(page, 'r00-rule-sheet');
  await vis('[data-testid=rule-save]').click();
  await vis('[data-testid=rule-form]').waitFor({ state: 'hidden' });
  expect(await vis('[data-testid=rule-tiers]').first().innerText()).toContain('满¥100.00 按15%');

  // a whole category excluded
  await vis('[data-testid=rules-add]').click();
  await vis('[data-testid=rule-form]').waitFor();
  await vis('[data-testid=rule-scope-category]').click();
  const categoryId = await pickTarget();
  await vis('[data-testid=rule-type-excluded]').click();
  await vis('[data-testid=rule-save]').click();
  await vis('[data-testid=rule-form]').waitFor({ state: 'hidden' });
  await until(() => vis('[data-testid=rule-item]').count(), (n) => n === 2);
  expect(await vis('[data-testid=rule-item]').nth(1).innerText()).toContain('不参与分销');
  await shot(page, 'r01-dist-settings-rules');

  // nothing is stored until the page is saved
  expect(lc.db.get('settings', 'distribution')?.rules ?? []).toEqual([]);
  await vis('[data-testid=dist-settings-save]').click();
  await page.locator('.taro-modal__foot:visible').getByText('保存', { exact: true }).click();
  const rules = await until(async () => (lc.db.get('settings', 'distribution')?.rules ?? []) as Record<string, unknown>[], (r) => r.length === 2);
  expect(rules).toEqual([
    { id: expect.any(String), scope: 'product', targetId: productId, tier: 1, bp: 1200, amountTiers: [{ minBaseFen: 10000, bp: 1500 }] },
    { id: expect.any(String), scope: 'category', targetId: categoryId, excluded: true },
  ]);
  await expect(vis('[data-testid=dist-settings-error]').count()).resolves.toBe(0);

  // deleting a rule and saving removes it from the stored settings
  await vis('[data-testid=rule-item]').first().locator('[data-testid=rule-delete]').click();
  await page.locator('.taro-modal__foot:visible').getByText('删除', { exact: true }).click();
  await until(() => vis('[data-testid=rule-item]').count(), (n) => n === 1);
  await vis('[data-testid=dist-settings-save]').click();
  await page.locator('.taro-modal__foot:visible').getByText('保存', { exact: true }).click();
  const after = await until(async () => (lc.db.get('settings', 'distribution')?.rules ?? []) as Record<string, unknown>[], (r) => r.length === 1);
  expect(after).toEqual([expect.objectContaining({ scope: 'category', targetId: categoryId, excluded: true })]);
});

test('no page error happened', () => {
  expect(errors).toEqual([]);
});
