/**
 * The buying path as people use it: a brand-new shopper in Chromium on the H5 build of the mall, served by the
 * local cloud seeded with the demo shop; the merchant (signed in through the h5-only dev sign-in) ships and
 * handles after-sales. Each step is checked on screen and, where money or state is involved, in the database.
 * Screenshots go to .tmp/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { startMall, newVisitor, shot, until, watchErrors, type LocalCloud } from './harness';

jest.setTimeout(240_000);

const MERCHANT = 'o_demo_merchant';

let lc: LocalCloud;
let ctx: BrowserContext;
let page: Page;
let errors: string[];
let me = ''; // the new shopper's openid (assigned by the local cloud's cookie)

const vis = (sel: string) => page.locator(`.taro_page:visible ${sel}`);
const modal = (text: string) => page.locator('.taro-modal__foot:visible').getByText(text, { exact: true }).click();
const go = (hash: string) => page.goto(`${lc.url}/#${hash}`);

async function pickFirstAvailableSku(): Promise<void> {
  const popup = page.locator('[data-testid=sku-popup]:visible');
  await popup.waitFor();
  for (const g of await popup.locator('.sku__group').all()) await g.locator('.chip:not(.chip--off)').first().click();
}

async function signInAs(openid: string): Promise<void> {
  await go('/pages/dev-signin/index');
  await vis(`[data-testid=dev-person][data-openid=${openid}]`).click();
  await vis('[data-testid=mine-admin], [data-testid=mine-orders], .mine').first().waitFor();
}

async function backToShopper(): Promise<void> {
  await page.evaluate((o) => fetch('/__dev/signin', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: o }),
  }), me);
}

const ordersOf = (openid: string) => lc.db.find('orders', { openid }, { sort: { createdAt: 1 } });

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

test('a new visitor sees the shop: search, banners, categories, goods with prices and images', async () => {
  await page.goto(`${lc.url}/`);
  await vis('[data-testid=goods-card]').first().waitFor({ timeout: 30_000 });
  await expect(vis('[data-testid=home-search]').count()).resolves.toBe(1);
  expect(await vis('[data-testid=home-category]').count()).toBeGreaterThanOrEqual(5);
  expect(await vis('[data-testid=goods-card]').count()).toBeGreaterThanOrEqual(6);
  const firstCard = await vis('[data-testid=goods-card]').first().innerText();
  expect(firstCard).toMatch(/¥\s*\d+/);
  // product images really load from the local cloud's storage
  await page.waitForFunction(() => {
    const imgs = Array.from(document.querySelectorAll('.taro_page img')) as HTMLImageElement[];
    return imgs.filter((i) => i.complete && i.naturalWidth > 0).length >= 4;
  }, undefined, { timeout: 20_000 });
  await shot(page, '01-home');
  me = (await page.evaluate(() => fetch('/fn/user', { method: 'POST', body: JSON.stringify({ action: 'login' }) }).then((r) => r.json()))).data.openid;
  expect(me).toMatch(/^o_h5_/);
});

test('choose a SKU, add to cart, change the quantity, check out with a new address and pay in the sandbox', async () => {
  await vis('[data-testid=goods-card]').first().click();
  await vis('[data-testid=add-to-cart]').click();
  await pickFirstAvailableSku();
  await shot(page, '02-sku');
  await page.locator('[data-testid=sku-confirm]:visible').click();
  await vis('[data-testid=go-cart]').click();
  await vis('[data-testid=cart-line]').first().waitFor();
  await vis('[data-testid=cart-qty] .nut-inputnumber-add').first().click();
  expect(await until(() => vis('[data-testid=cart-qty] input').first().inputValue(), (v) => v === '2')).toBe('2');
  await vis('.cart__total').waitFor(); // the server's quote for the new quantity has arrived
  await shot(page, '03-cart');
  await vis('[data-testid=cart-checkout]').click();
  await vis('[data-testid=checkout-address]').click();
  await vis('[data-testid=address-add]').click();
  await vis('[data-testid=address-name] input').fill('张三');
  await vis('[data-testid=address-phone] input').fill('13800138000');
  await vis('[data-testid=address-province] input').fill('广东省');
  await vis('[data-testid=address-city] input').fill('深圳市');
  await vis('[data-testid=address-district] input').fill('南山区');
  await vis('[data-testid=address-detail] input').fill('科技园1号');
  await vis('[data-testid=address-save]').click();
  await vis('[data-testid=checkout-line]').first().waitFor();
  expect(await until(() => vis('[data-testid=checkout-payable]').getAttribute('data-fen'), (v) => /^\d+$/.test(v ?? ''))).toMatch(/^\d+$/);
  const shownPayable = Number(await vis('[data-testid=checkout-payable]').getAttribute('data-fen'));
  await shot(page, '04-checkout');
  await vis('[data-testid=submit-order]').click();
  await page.locator('.taro-modal__foot:visible').waitFor();
  await shot(page, '05-pay-sandbox');
  await modal('确认支付');
  await vis('[data-testid=pay-result][data-status=pending_shipment]').waitFor({ timeout: 30_000 });
  await shot(page, '06-paid');

  const [order] = ordersOf(me);
  expect(order.status).toBe('pending_shipment');
  expect(order.lines[0].qty).toBe(2);
  expect(order.address).toEqual(expect.objectContaining({ name: '张三', phone: '13800138000' }));
  // the amount charged is the server's figure, and what the page showed
  expect(order.payableFen).toBe(shownPayable);
  expect(lc.trade(order._id)).toEqual(expect.objectContaining({ totalFee: order.payableFen }));
});

test('the paid order is listed under 待发货', async () => {
  await go('/pages/orders/index?tab=pending_shipment');
  await vis('[data-testid=order-card][data-status=pending_shipment]').first().waitFor();
  await shot(page, '07-orders-pending-shipment');
});

test('an unpaid order can be cancelled, and its stock comes back', async () => {
  await go('/pages/index/index');
  await vis('[data-testid=goods-card]').nth(1).click();
  await vis('[data-testid=buy-now]').click();
  await pickFirstAvailableSku();
  await page.locator('[data-testid=sku-confirm]:visible').click();
  await vis('[data-testid=checkout-line]').first().waitFor();
  await vis('[data-testid=submit-order]').click();
  await modal('取消'); // leave the sandbox without paying
  await vis('[data-testid=pay-result][data-status=pending_payment]').waitFor({ timeout: 30_000 });
  const unpaid = ordersOf(me)[1];
  expect(unpaid.status).toBe('pending_payment');
  const skuId = unpaid.lines[0].skuId;
  const stockWhileHeld = lc.db.get('skus', skuId).stock;
  await vis('.btn >> text=查看订单').click();
  await vis('[data-testid=order-cancel]').click();
  await modal('取消订单');
  await vis('[data-testid=order-detail-status][data-status=cancelled]').waitFor();
  await shot(page, '08-cancelled');
  expect(lc.db.get('orders', unpaid._id)).toEqual(expect.objectContaining({ status: 'cancelled', cancelReason: 'buyer' }));
  expect(lc.db.get('skus', skuId).stock).toBe(stockWhileHeld + unpaid.lines[0].qty);
  expect(lc.db.find('stock_movements', { orderId: unpaid._id, kind: 'release' })).toHaveLength(1);
});

test('the merchant sees orders by status and ships with carrier and tracking number', async () => {
  await signInAs(MERCHANT);
  await vis('[data-testid=mine-admin]').click();
  await vis('[data-testid=admin-figures]').waitFor();
  await shot(page, '09-admin-dashboard');
  await vis('[data-testid=admin-orders]').click();
  await vis('[data-testid=admin-order-tab-pending_shipment]').click();
  await vis('[data-testid=admin-order-card][data-status=pending_shipment]').first().click();
  await vis('[data-testid=ship-carrier] >> text=顺丰速运').click();
  await vis('[data-testid=ship-tracking] input').fill('SF1234567890');
  await vis('[data-testid=ship-submit]').click();
  await modal('确认发货');
  await vis('[data-testid=order-detail-status][data-status=shipped]').waitFor();
  await shot(page, '10-shipped');
  const [order] = ordersOf(me);
  expect(order).toEqual(expect.objectContaining({ status: 'shipped', carrier: '顺丰速运', trackingNo: 'SF1234567890' }));
  expect(lc.db.find('audit_logs', { actor: MERCHANT, target: order._id })).not.toHaveLength(0);
});

test('the shopper confirms receipt and asks for a refund of one unit', async () => {
  await backToShopper();
  await go('/pages/orders/index?tab=to_receive');
  await vis('[data-testid=order-confirm]').first().click();
  await modal('确认收货');
  await vis('[data-testid=order-tab-completed]').click();
  await vis('[data-testid=order-card][data-status=completed]').first().waitFor();
  await shot(page, '11-completed');
  expect(ordersOf(me)[0].status).toBe('completed');

  await vis('[data-testid=order-card] >> text=申请售后').first().click();
  await vis('[data-testid=aftersale-line] .nut-inputnumber-minus').first().click(); // 1 of 2
  await vis('[data-testid=aftersale-reason] >> text=不想要了').click();
  await shot(page, '12-aftersale-apply');
  await vis('[data-testid=aftersale-submit]').click();
  await modal('提交');
  await vis('[data-testid=aftersale-status][data-status=pending]').waitFor({ timeout: 15_000 });
  await shot(page, '13-aftersale-pending');
});

test('the merchant approves the refund: money goes back exactly, the order stays open for the other unit', async () => {
  await signInAs(MERCHANT);
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=pending]').first().click();
  await vis('[data-testid=aftersale-approve]').click();
  await modal('同意');
  await vis('[data-testid=aftersale-status][data-status=refunded]').waitFor({ timeout: 15_000 });
  await shot(page, '14-refunded');
  const order = ordersOf(me)[0];
  const [as] = lc.db.find('after_sales', { orderId: order._id });
  expect(as.status).toBe('refunded');
  expect(as.refundFen).toBe(Math.floor(order.lines[0].payable / 2));
  expect(order.refundedFen).toBe(as.refundFen);
  expect(order.status).toBe('completed');
});

test('a second request (return and refund) is rejected with a reason the shopper can read', async () => {
  await backToShopper();
  await go('/pages/orders/index?tab=completed');
  await vis('[data-testid=order-card][data-status=completed] >> text=申请售后').first().click();
  await vis('[data-testid=aftersale-type-return]').click();
  await vis('[data-testid=aftersale-reason] >> text=商品质量问题').click();
  await vis('[data-testid=aftersale-submit]').click();
  await modal('提交');
  await vis('[data-testid=aftersale-status][data-status=pending]').waitFor({ timeout: 15_000 });
  const detailUrl = page.url();

  await signInAs(MERCHANT);
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=pending]').first().click();
  await vis('[data-testid=aftersale-reject]').click();
  await vis('[data-testid=reject-form] textarea').fill('商品已影响二次销售');
  await vis('[data-testid=aftersale-reject-submit]').click();
  await modal('拒绝');
  await vis('[data-testid=aftersale-status][data-status=rejected]').waitFor({ timeout: 15_000 });

  await backToShopper();
  await page.goto(detailUrl);
  await page.reload();
  await vis('[data-testid=aftersale-status][data-status=rejected]').waitFor({ timeout: 15_000 });
  await page.locator('.taro_page:visible').getByText('商品已影响二次销售').first().waitFor();
  await shot(page, '15-rejected-seen-by-shopper');
  const order = ordersOf(me)[0];
  expect(order.refundedFen).toBe(Math.floor(order.lines[0].payable / 2)); // unchanged by the rejection
});

test('no page error happened along the way', () => {
  expect(errors).toEqual([]);
});
