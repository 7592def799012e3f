#!/usr/bin/env node
// Browser smoke run of the h5 build: shopper buys and pays (sandbox), cancels an unpaid order, the merchant
// ships, the shopper confirms receipt and asks for a refund, the merchant approves.
// Needs a server that serves client/dist/h5 plus /fn, /__dev and /__sandbox (the local cloud, or
// client/scripts/stub-server.cjs) and Debian's chromium. Screenshots go to $SHOTS (default /tmp/h5-smoke).
// Usage: BASE=http://127.0.0.1:8787 node client/scripts/h5-smoke.cjs
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');

const BASE = process.env.BASE || 'http://127.0.0.1:8787';
const SHOTS = process.env.SHOTS || '/tmp/h5-smoke';
let failPage = null;

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const exe = execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/bash' }).toString().trim();
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'h5-smoke-')), {
    executablePath: exe, headless: true, viewport: { width: 375, height: 740 }, locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  failPage = page;
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const shot = (n) => page.screenshot({ path: path.join(SHOTS, `${n}.png`) });
  const vis = (sel) => page.locator(`.taro_page:visible ${sel}`);
  const modal = (text) => page.locator('.taro-modal__foot:visible').getByText(text, { exact: true }).click();
  const go = (hash) => page.goto(`${BASE}/#${hash}`);
  const check = (label, got, want) => { console.log(`${got === want ? 'ok  ' : 'FAIL'} ${label}: ${got}${got === want ? '' : ` (want ${want})`}`); if (got !== want) process.exitCode = 1; };
  const pickSku = async () => {
    const popup = page.locator('[data-testid=sku-popup]:visible');
    await popup.waitFor();
    for (const g of await popup.locator('.sku__group').all()) await g.locator('.chip:not(.chip--off)').first().click();
  };
  const signin = (openid) => page.evaluate((o) => fetch('/__dev/signin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: o }) }).then((r) => r.json()), openid);

  // 1. buy from the cart and pay in the sandbox
  await page.goto(`${BASE}/`);
  await vis('[data-testid=goods-card]').first().waitFor({ timeout: 20000 });
  await shot('01-home');
  await vis('[data-testid=goods-card]').first().click();
  await vis('[data-testid=add-to-cart]').click();
  await pickSku();
  await shot('02-sku');
  await page.locator('[data-testid=sku-confirm]:visible').click();
  await vis('[data-testid=go-cart]').click();
  await vis('[data-testid=cart-line]').first().waitFor();
  await vis('[data-testid=cart-qty] .nut-inputnumber-add').first().click();
  await page.waitForTimeout(1200);
  await shot('03-cart');
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
  await page.waitForTimeout(800);
  await shot('04-checkout');
  await vis('[data-testid=submit-order]').click();
  await modal('确认支付');
  await vis('[data-testid=pay-result]').waitFor({ timeout: 20000 });
  await shot('05-paid');
  check('paid order status', await vis('[data-testid=pay-result]').getAttribute('data-status'), 'pending_shipment');

  // 2. an unpaid order is cancelled
  await go('/pages/index/index');
  await vis('[data-testid=goods-card]').nth(1).click();
  await vis('[data-testid=buy-now]').click();
  await pickSku();
  await page.locator('[data-testid=sku-confirm]:visible').click();
  await vis('[data-testid=checkout-line]').first().waitFor();
  await page.waitForTimeout(800);
  await vis('[data-testid=submit-order]').click();
  await modal('取消');
  await vis('[data-testid=pay-result]').waitFor({ timeout: 20000 });
  check('unpaid order status', await vis('[data-testid=pay-result]').getAttribute('data-status'), 'pending_payment');
  await vis('.btn >> text=查看订单').click();
  await vis('[data-testid=order-cancel]').click();
  await modal('取消订单');
  await page.waitForTimeout(1000);
  check('after cancel', await vis('[data-testid=order-detail-status]').getAttribute('data-status'), 'cancelled');

  // 3. the merchant ships
  const me = (await page.evaluate(() => fetch('/fn/user', { method: 'POST', body: JSON.stringify({ action: 'login' }) }).then((r) => r.json()))).data.openid;
  await go('/pages/dev-signin/index');
  await vis('[data-testid=dev-person]').first().waitFor();
  await shot('06-dev-signin');
  await vis('[data-testid=dev-person] >> text=merchant').first().click();
  await vis('[data-testid=mine-admin]').click();
  await vis('[data-testid=admin-figures]').waitFor();
  await shot('07-admin');
  await vis('[data-testid=admin-orders]').click();
  await vis('[data-testid=admin-order-tab-pending_shipment]').click();
  await vis('[data-testid=admin-order-card][data-status=pending_shipment]').first().click();
  await vis('[data-testid=ship-carrier] >> text=顺丰速运').click();
  await vis('[data-testid=ship-tracking] input').fill('SF1234567890');
  await vis('[data-testid=ship-submit]').click();
  await modal('确认发货');
  await page.waitForTimeout(1000);
  check('after ship', await vis('[data-testid=order-detail-status]').getAttribute('data-status'), 'shipped');

  // 4. the shopper confirms receipt and asks for a refund
  await signin(me);
  await go('/pages/orders/index?tab=to_receive');
  await vis('[data-testid=order-confirm]').first().click();
  await modal('确认收货');
  await page.waitForTimeout(1000);
  await vis('[data-testid=order-tab-completed]').click();
  await vis('[data-testid=order-card][data-status=completed]').first().waitFor();
  await shot('08-orders-completed');
  check('completed order', await vis('[data-testid=order-card]').first().getAttribute('data-status'), 'completed');
  await vis('[data-testid=order-card] >> text=申请售后').first().click();
  await vis('[data-testid=aftersale-line] .nut-inputnumber-minus').first().click(); // refund 1 of 2
  await vis('[data-testid=aftersale-reason] >> text=不想要了').click();
  await shot('09-aftersale-apply');
  await vis('[data-testid=aftersale-submit]').click();
  await modal('提交');
  await vis('[data-testid=aftersale-status]').waitFor({ timeout: 15000 });
  await shot('10-aftersale');
  check('after-sale status', await vis('[data-testid=aftersale-status]').getAttribute('data-status'), 'pending');

  // 5. the merchant approves (refund only → refunded at once)
  await go('/pages/dev-signin/index');
  await vis('[data-testid=dev-person] >> text=merchant').first().click();
  await vis('[data-testid=mine-admin]').waitFor();
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=pending]').first().click();
  await vis('[data-testid=aftersale-approve]').click();
  await modal('同意');
  await page.waitForTimeout(1500);
  await shot('11-approved');
  check('after approve', await vis('[data-testid=aftersale-status]').getAttribute('data-status'), 'refunded');

  // 6. a second application (return and refund) for the other item is rejected with a reason
  await signin(me);
  await go('/pages/orders/index?tab=completed');
  await vis('[data-testid=order-card][data-status=completed] >> text=申请售后').first().click();
  await vis('[data-testid=aftersale-type-return]').click();
  await vis('[data-testid=aftersale-reason] >> text=商品质量问题').click();
  await vis('[data-testid=aftersale-submit]').click();
  await modal('提交');
  await vis('[data-testid=aftersale-status]').waitFor({ timeout: 15000 });
  await go('/pages/dev-signin/index');
  await vis('[data-testid=dev-person] >> text=merchant').first().click();
  await vis('[data-testid=mine-admin]').waitFor();
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=pending]').first().click();
  await vis('[data-testid=aftersale-reject]').click();
  await vis('[data-testid=reject-form] textarea').fill('商品已影响二次销售');
  await vis('[data-testid=aftersale-reject-submit]').click();
  await modal('拒绝');
  await page.waitForTimeout(1500);
  await shot('12-rejected');
  check('after reject', await vis('[data-testid=aftersale-status]').getAttribute('data-status'), 'rejected');

  // 7. return and refund: merchant approves, shopper sends the goods back, merchant confirms receipt → refunded
  await signin(me);
  await go('/pages/orders/index?tab=completed');
  await vis('[data-testid=order-card][data-status=completed] >> text=申请售后').first().click();
  await vis('[data-testid=aftersale-type-return]').click();
  await vis('[data-testid=aftersale-reason] >> text=发错货/漏发').click();
  await vis('[data-testid=aftersale-submit]').click();
  await modal('提交');
  await vis('[data-testid=aftersale-status][data-status=pending]').waitFor({ timeout: 15000 });
  const asUrl = page.url();
  await go('/pages/dev-signin/index');
  await vis('[data-testid=dev-person] >> text=merchant').first().click();
  await vis('[data-testid=mine-admin]').waitFor();
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=pending]').first().click();
  await vis('[data-testid=aftersale-approve]').click();
  await modal('同意');
  await vis('[data-testid=aftersale-status][data-status=awaiting_return]').waitFor({ timeout: 15000 });
  await signin(me);
  await page.goto(asUrl);
  await vis('[data-testid=return-shipping-form]').waitFor({ timeout: 15000 });
  await vis('[data-testid=return-shipping-form] input').first().fill('中通快递');
  await vis('[data-testid=return-shipping-form] input').nth(1).fill('ZT998877665');
  await vis('[data-testid=return-shipping-submit]').click();
  await page.waitForTimeout(1500);
  await shot('13-return-shipped');
  await go('/pages/dev-signin/index');
  await vis('[data-testid=dev-person] >> text=merchant').first().click();
  await vis('[data-testid=mine-admin]').waitFor();
  await go('/subpkg-admin/aftersales/index');
  await vis('[data-testid=admin-aftersale-card][data-status=awaiting_return]').first().click();
  await vis('[data-testid=aftersale-receive]').click();
  await modal('确认收货');
  await page.waitForTimeout(1500);
  await shot('14-return-refunded');
  check('after return received', await vis('[data-testid=aftersale-status]').getAttribute('data-status'), 'refunded');
  check('page errors', errors.length, 0);
  if (errors.length) console.log(errors.slice(0, 5).join('\n'));
  await ctx.close();
})().catch(async (e) => {
  console.error('FAIL', String(e.message).split('\n').slice(0, 8).join('\n'));
  try { await failPage.screenshot({ path: path.join(SHOTS, 'zz-failure.png') }); console.error('url', failPage.url()); } catch { /* ignore */ }
  process.exit(1);
});
