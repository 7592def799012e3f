/**
 * Distribution as people use it, in Chromium on the H5 build served by the seeded local cloud:
 * the distributor 李姐 (signed in through the h5-only dev sign-in) opens her centre and copies her share link;
 * a brand-new buyer (fresh browser profile) opens that link, sees 李姐 as their 专属顾问, buys and pays in the
 * sandbox; 李姐's centre shows the pending commission; the merchant ships, the buyer confirms receipt; the clock
 * moves past the freeze and the settlement timer runs; 李姐 withdraws (the amount is confirmed first) and the
 * 商家转账 stand-in pays it. Every step is checked on screen and in the database. Screenshots: .tmp/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { DAY_MS } from '../../core/time';
import { isDistributorCode } from '../../core/distribution/codes';
import { startMall, newVisitor, shot, until, watchErrors, type LocalCloud } from './harness';

jest.setTimeout(300_000);

const LI = 'o_demo_distributor';
const MERCHANT = 'o_demo_merchant';

let lc: LocalCloud;
let liCtx: BrowserContext; // 李姐's phone (also used by the merchant through the dev sign-in)
let buyerCtx: BrowserContext; // the new buyer's phone
let li: Page;
let buyer: Page;
const errors: string[][] = [];
let buyerId = '';
let shareLink = '';
let code = '';
let orderId = '';

const vis = (p: Page, sel: string) => p.locator(`.taro_page:visible ${sel}`);
const modal = (p: Page, text: string) => p.locator('.taro-modal__foot:visible').getByText(text, { exact: true }).click();
const modalText = (p: Page) => p.locator('.taro-modal__content:visible').first().innerText();
const go = (p: Page, hash: string) => p.goto(`${lc.url}/#${hash}`);
const commissionsOf = (openid: string) => lc.db.find('commissions', { beneficiary: openid });
const sumFen = (xs: { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);

async function signInAs(p: Page, openid: string): Promise<void> {
  await go(p, '/pages/dev-signin/index');
  await vis(p, `[data-testid=dev-person][data-openid=${openid}]`).click();
  await vis(p, `[data-testid=user-card][data-openid=${openid}]`).waitFor();
  await vis(p, '[data-testid=mine-dist][data-loaded="1"]').waitFor();
}

beforeAll(async () => {
  lc = await startMall();
  liCtx = await newVisitor();
  buyerCtx = await newVisitor();
  li = liCtx.pages()[0] ?? (await liCtx.newPage());
  buyer = buyerCtx.pages()[0] ?? (await buyerCtx.newPage());
  for (const p of [li, buyer]) {
    p.setDefaultTimeout(20_000);
    errors.push(watchErrors(p));
  }
});

afterAll(async () => {
  await liCtx?.close();
  await buyerCtx?.close();
  await lc?.stop();
});

test('李姐 opens her distributor centre (joining for free if needed) and copies her share link', async () => {
  await li.goto(`${lc.url}/`);
  await vis(li, '[data-testid=goods-card]').first().waitFor({ timeout: 30_000 });
  await signInAs(li, LI);
  const entry = vis(li, '[data-testid=mine-dist-center], [data-testid=mine-dist-join]').first();
  await entry.waitFor();
  if ((await entry.getAttribute('data-testid')) === 'mine-dist-join') {
    await shot(li, 'd01-mine-join');
    await entry.click();
    // joining is free, and the dialog says so before anything happens
    expect(await modalText(li)).toContain('免费');
    await modal(li, '免费加入');
  } else {
    await entry.click();
  }
  await vis(li, '[data-testid=dist-centre]').waitFor();
  const d = lc.db.get('distributors', LI);
  expect(d).toEqual(expect.objectContaining({ status: 'active' }));
  code = d.code;
  expect(isDistributorCode(code)).toBe(true); // a code core accepts (6–8 of A–Z2–9 without I/O), else links cannot bind
  expect(await vis(li, '[data-testid=dist-code]').innerText()).toContain(code);
  await shot(li, 'd02-centre-empty');

  await vis(li, '[data-testid=dist-link-invite]').click();
  await vis(li, '[data-testid=invite-link]').waitFor();
  shareLink = (await vis(li, '[data-testid=invite-link]').innerText()).trim();
  expect(shareLink).toBe(`${lc.url}/#/pages/index/index?dc=${code}`);
  expect(await vis(li, '[data-testid=invite-code]').innerText()).toBe(code);
  await shot(li, 'd03-invite');
});

test('her poster has the product, its price and a real 小程序码 from the local cloud', async () => {
  const product = lc.db.find('products', { status: 'on_shelf' })[0];
  await go(li, `/pages/product/index?id=${product._id}`);
  await vis(li, '[data-testid=share-earn]').click();
  await li.locator('[data-testid=share-sheet]:visible').waitFor();
  await shot(li, 'd04-share-sheet');
  await li.locator('[data-testid=share-poster]:visible').click();
  const img = vis(li, '[data-testid=poster-image] img');
  const src = await until(() => img.getAttribute('src').catch(() => null), (v) => !!v && v.startsWith('data:image/png'), 20_000);
  expect(src).toMatch(/^data:image\/png;base64,/);
  // 下载海报 (h5): a real PNG download through <a download>
  const [download] = await Promise.all([li.waitForEvent('download'), vis(li, '[data-testid=poster-save]').click()]);
  expect(download.suggestedFilename()).toMatch(/^poster-.+\.png$/);
  expect(lc.openapiCalls.some((c: { api?: string; name?: string }) => /getUnlimited/i.test(String(c.api ?? c.name ?? JSON.stringify(c))))).toBe(true);
  await shot(li, 'd05-poster');
});

test('a new buyer opens the link and sees 李姐 as their 专属顾问 (and until when)', async () => {
  await buyer.goto(shareLink);
  await vis(buyer, '[data-testid=goods-card]').first().waitFor({ timeout: 30_000 });
  buyerId = (await buyer.evaluate(() => fetch('/fn/user', { method: 'POST', body: JSON.stringify({ action: 'login' }) }).then((r) => r.json()))).data.openid;
  expect(buyerId).toMatch(/^o_h5_/);
  const binding = await until(async () => lc.db.get('bindings', buyerId), (b) => !!b);
  expect(binding).toEqual(expect.objectContaining({ distributorId: LI, source: 'share_card' }));
  expect(lc.db.find('binding_events', { buyer: buyerId })).toEqual([expect.objectContaining({ to: LI, source: 'share_card' })]);

  await go(buyer, '/pages/mine/index');
  await vis(buyer, '[data-testid=mine-advisor-name]').waitFor();
  expect(await vis(buyer, '[data-testid=mine-advisor]').innerText()).toContain('专属顾问');
  expect(await vis(buyer, '[data-testid=mine-advisor-name]').innerText()).toBe('李姐');
  const until_ = await vis(buyer, '[data-testid=mine-advisor-until]').innerText();
  if (binding.expiresAt) expect(until_).toMatch(/有效期至 \d{4}-\d{2}-\d{2}/);
  else expect(until_).toContain('长期有效');
  await shot(buyer, 'd06-buyer-advisor');
});

test('a product link with the code (…/product/index?id=…&dc=…) binds a visitor the same way', async () => {
  const product = lc.db.find('products', { status: 'on_shelf' })[1];
  const other = await newVisitor();
  try {
    const p = other.pages()[0] ?? (await other.newPage());
    await p.goto(`${lc.url}/#/pages/product/index?id=${product._id}&dc=${code}`);
    await vis(p, '[data-testid=product-title]').waitFor({ timeout: 30_000 });
    expect(await vis(p, '[data-testid=product-title]').innerText()).toBe(product.title);
    const visitor = (await p.evaluate(() => fetch('/fn/user', { method: 'POST', body: JSON.stringify({ action: 'login' }) }).then((r) => r.json()))).data.openid;
    const b = await until(async () => lc.db.get('bindings', visitor), (x) => !!x);
    expect(b).toEqual(expect.objectContaining({ distributorId: LI, source: 'share_card' }));
  } finally {
    await other.close();
  }
});

test('the buyer buys and pays in the sandbox; the order carries the commission snapshot', async () => {
  await go(buyer, '/pages/index/index');
  await vis(buyer, '[data-testid=goods-card]').first().click();
  await vis(buyer, '[data-testid=buy-now]').click();
  const popup = buyer.locator('[data-testid=sku-popup]:visible');
  await popup.waitFor();
  for (const g of await popup.locator('.sku__group').all()) await g.locator('.chip:not(.chip--off)').first().click();
  await buyer.locator('[data-testid=sku-confirm]:visible').click();
  await vis(buyer, '[data-testid=checkout-address]').click();
  await vis(buyer, '[data-testid=address-add]').click();
  await vis(buyer, '[data-testid=address-name] input').fill('王五');
  await vis(buyer, '[data-testid=address-phone] input').fill('13900139000');
  await vis(buyer, '[data-testid=address-province] input').fill('浙江省');
  await vis(buyer, '[data-testid=address-city] input').fill('杭州市');
  await vis(buyer, '[data-testid=address-district] input').fill('西湖区');
  await vis(buyer, '[data-testid=address-detail] input').fill('文三路1号');
  await vis(buyer, '[data-testid=address-save]').click();
  await vis(buyer, '[data-testid=checkout-line]').first().waitFor();
  await vis(buyer, '[data-testid=submit-order]').click();
  await buyer.locator('.taro-modal__foot:visible').waitFor();
  await modal(buyer, '确认支付');
  await vis(buyer, '[data-testid=pay-result][data-status=pending_shipment]').waitFor({ timeout: 30_000 });
  await shot(buyer, 'd07-paid');

  const [order] = lc.db.find('orders', { openid: buyerId });
  orderId = order._id;
  expect(order.status).toBe('pending_shipment');
  expect(order.commission).toEqual(expect.objectContaining({ binding: expect.objectContaining({ distributorId: LI }) }));
  const entries = commissionsOf(LI);
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) {
    expect(e).toEqual(expect.objectContaining({ orderId, buyer: buyerId, tier: 1, kind: 'accrue', state: 'pending' }));
    expect(Number.isInteger(e.amountFen)).toBe(true);
    expect(e.amountFen).toBeGreaterThan(0);
  }
  // never above the cap (50% of the line's base by default)
  expect(sumFen(entries)).toBeLessThanOrEqual(Math.floor(order.payableFen / 2));
});

test("李姐's centre shows the pending commission for that order, and why it earned", async () => {
  const pendingFen = sumFen(commissionsOf(LI));
  await go(li, '/subpkg-dist/index');
  await until(() => vis(li, '[data-testid=dist-bal-pending]').getAttribute('data-fen'), (v) => Number(v) === pendingFen);
  expect(Number(await vis(li, '[data-testid=dist-bal-pending]').getAttribute('data-fen'))).toBe(pendingFen);
  await shot(li, 'd08-centre-pending');
  await vis(li, '[data-testid=dist-link-orders]').click();
  const card = vis(li, `[data-testid=dist-order][data-id="${orderId}"]`);
  await card.waitFor();
  expect(await card.getAttribute('data-earned')).toBe('1');
  expect(Number(await card.locator('[data-testid=dist-order-commission]').getAttribute('data-fen'))).toBe(pendingFen);
  expect(await card.innerText()).toContain('待结算');
  await shot(li, 'd09-promo-orders');
  await go(li, '/subpkg-dist/buyers/index');
  await vis(li, '[data-testid=dist-buyer]').first().waitFor();
  await shot(li, 'd10-buyers');
});

test('the merchant ships, the buyer confirms receipt: the commission is frozen', async () => {
  await signInAs(li, MERCHANT);
  await go(li, `/subpkg-admin/order-detail/index?id=${orderId}`);
  await vis(li, '[data-testid=ship-carrier] >> text=顺丰速运').click();
  await vis(li, '[data-testid=ship-tracking] input').fill('SF900000001');
  await vis(li, '[data-testid=ship-submit]').click();
  await modal(li, '确认发货');
  await vis(li, '[data-testid=order-detail-status][data-status=shipped]').waitFor();

  await go(buyer, '/pages/orders/index?tab=to_receive');
  await vis(buyer, '[data-testid=order-confirm]').first().click();
  await modal(buyer, '确认收货');
  await until(async () => lc.db.get('orders', orderId).status, (s) => s === 'completed');
  expect(lc.db.get('orders', orderId).status).toBe('completed');
  const entries = await until(async () => commissionsOf(LI), (es) => es.every((e) => e.state === 'frozen'));
  expect(entries.every((e) => e.state === 'frozen' && typeof e.freezeUntil === 'number')).toBe(true);
});

test('the clock passes the freeze, the settlement timer runs: the commission is settled once', async () => {
  const freezeUntil = Math.max(...commissionsOf(LI).map((e) => e.freezeUntil as number));
  // nothing is settled while still inside the freeze
  await lc.fireTimer('settleCommissions');
  expect(commissionsOf(LI).every((e) => e.state === 'frozen')).toBe(true);

  // past the freeze and past the end of the settlement period that contains it (weekly by default)
  const res = await buyer.evaluate((ms) => fetch('/__dev/clock/advance', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms }),
  }).then((r) => r.json()), freezeUntil - lc.clock.now() + 8 * DAY_MS + 60_000);
  expect(res.now).toBeGreaterThan(freezeUntil);
  await lc.fireTimer('settleCommissions');
  await lc.fireTimer('settleCommissions'); // run twice: nothing settles twice
  const entries = commissionsOf(LI);
  expect(entries.every((e) => e.state === 'settled' && typeof e.batchId === 'string')).toBe(true);
  const batches = lc.db.find('settlement_batches', {});
  expect(batches.length).toBeGreaterThan(0);
  const batch = batches.find((b) => b._id === entries[0].batchId);
  expect(batch).toEqual(expect.objectContaining({ status: 'done' }));
  expect(lc.db.get('statements', `${batch._id}:${LI}`)).toEqual(expect.objectContaining({ amountFen: sumFen(entries) }));
});

test('李姐 withdraws her settled balance (amount confirmed first) and the payout arrives (已到账)', async () => {
  const settledFen = sumFen(commissionsOf(LI));
  await signInAs(li, LI);
  await go(li, '/subpkg-dist/index');
  await until(() => vis(li, '[data-testid=dist-bal-settled]').getAttribute('data-fen'), (v) => Number(v) === settledFen);
  await shot(li, 'd11-centre-settled');
  await vis(li, '[data-testid=dist-go-withdraw]').click();
  await until(() => vis(li, '[data-testid=withdraw-available]').getAttribute('data-fen'), (v) => Number(v) === settledFen);
  await vis(li, '[data-testid=withdraw-all]').click();
  await shot(li, 'd12-withdraw-form');
  await vis(li, '[data-testid=withdraw-submit]').click();
  await li.locator('.taro-modal__foot:visible').waitFor();
  const shown = await modalText(li);
  expect(shown).toContain(`¥${(settledFen / 100).toFixed(2)}`);
  await shot(li, 'd13-withdraw-confirm');
  await modal(li, '确认提现');

  await vis(li, '[data-testid=withdrawal-record]').first().waitFor();
  let [w] = lc.db.find('withdrawals', { openid: LI });
  expect(w.amountFen).toBe(settledFen);
  if (w.status !== 'paid') {
    await lc.fireTimer('payoutTransfers');
    w = lc.db.get('withdrawals', w._id);
  }
  expect(w.status).toBe('paid');
  expect(lc.db.find('withdrawals', { openid: LI })).toHaveLength(1); // one request, paid once
  await li.reload();
  await vis(li, `[data-testid=withdrawal-record][data-status=paid]`).waitFor();
  expect(await vis(li, '[data-testid=withdrawal-status]').first().innerText()).toBe('已到账');
  await go(li, '/subpkg-dist/index');
  await until(() => vis(li, '[data-testid=dist-bal-available]').getAttribute('data-fen'), (v) => Number(v) === 0);
  expect(Number(await vis(li, '[data-testid=dist-bal-withdrawn]').getAttribute('data-fen'))).toBe(settledFen);
  await shot(li, 'd14-withdrawn');
});

test('the merchant sees the batch and the paid withdrawal; a freeze shorter than the return window is refused in Chinese', async () => {
  await signInAs(li, MERCHANT);
  await vis(li, '[data-testid=mine-admin]').click();
  await vis(li, '[data-testid=admin-settlements]').click();
  const batchCard = vis(li, '[data-testid=admin-batch][data-status=done]').first();
  await batchCard.waitFor();
  await batchCard.click();
  await vis(li, '[data-testid=batch-statement]').first().waitFor();
  expect(await vis(li, '[data-testid=batch-statement]').first().innerText()).toContain('李姐');
  await shot(li, 'd15-admin-batch');

  await go(li, '/subpkg-admin/withdrawals/index');
  await vis(li, '[data-testid=admin-wd-tab-paid]').click();
  await vis(li, '[data-testid=admin-withdrawal][data-status=paid]').first().waitFor();
  await shot(li, 'd16-admin-withdrawals');

  await go(li, '/subpkg-admin/dist-settings/index');
  await vis(li, '[data-testid=dist-settings-form]').waitFor();
  const before = lc.db.get('settings', 'distribution');
  await vis(li, '[data-testid=set-freeze] input').fill('0');
  await vis(li, '[data-testid=dist-settings-save]').click();
  await modal(li, '保存');
  const err = vis(li, '[data-testid=dist-settings-error]');
  await err.waitFor();
  expect(await err.innerText()).toMatch(/[\u4e00-\u9fa5]/); // the server's reason, in Chinese
  expect(await err.innerText()).toContain('冻结');
  expect(lc.db.get('settings', 'distribution')).toEqual(before); // nothing saved
  await shot(li, 'd17-admin-settings-refused');
});

test('no page error happened along the way', () => {
  expect(errors.flat()).toEqual([]);
});
