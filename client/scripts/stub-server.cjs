#!/usr/bin/env node
// A tiny in-memory stand-in for the local cloud, for looking at the h5 build without the backend:
// serves client/dist/h5 and answers POST /fn/<name>, /__dev/people, /__dev/signin, /__sandbox/pay.
// Prices here are fixed demo numbers; the real pricing lives in the cloud functions.
// Usage: node client/scripts/stub-server.cjs [port=8787]
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.argv[2] || 8787);
const root = path.join(__dirname, '..', 'dist', 'h5');
const svg = (color, text) =>
  'data:image/svg+xml;utf8,' + encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="${color}"/><text x="200" y="215" font-size="48" text-anchor="middle" fill="#fff" font-family="sans-serif">${text}</text></svg>`);

const categories = [
  { _id: 'c1', name: '手机数码', parentId: null }, { _id: 'c2', name: '家用电器', parentId: null },
  { _id: 'c3', name: '美妆个护', parentId: null }, { _id: 'c4', name: '食品生鲜', parentId: null },
  { _id: 'c5', name: '服饰鞋包', parentId: null },
];
const colors = ['#fa4126', '#ff7a45', '#f5a623', '#7cb305', '#13c2c2', '#2f54eb'];
const products = Array.from({ length: 8 }, (_, i) => ({
  _id: `p${i + 1}`, title: ['无线降噪蓝牙耳机 长续航', '智能手环 心率血氧监测', '不锈钢保温杯 500ml', '纯棉短袖T恤 男女同款', '有机纯牛奶 250ml×12盒', '补水保湿面膜 10片装', '家用空气炸锅 大容量', '双肩背包 商务通勤'][i],
  subtitle: '官方正品 · 7天无理由', categoryId: categories[i % 5]._id, images: [svg(colors[i % 6], `商品${i + 1}`)], detailImages: [svg('#eeeeee', '详情图')],
  specs: [{ name: '颜色', values: ['黑色', '白色'] }, { name: '规格', values: ['标准版', '高配版'] }], sold: 100 + i * 37,
}));
const skus = [];
products.forEach((p, i) => p.specs[0].values.forEach((c, a) => p.specs[1].values.forEach((s, b) => skus.push({
  _id: `${p._id}-${a}${b}`, productId: p._id, specValues: [c, s], specText: `${c} / ${s}`, price: 9900 + i * 1000 + b * 2000, listPrice: 15900 + i * 1000 + b * 2000, stock: a === 1 && b === 1 ? 0 : 20,
}))));
const minPrice = (p) => Math.min(...skus.filter((s) => s.productId === p._id).map((s) => s.price));
const summary = (p) => ({ _id: p._id, title: p.title, image: p.images[0], minPrice: minPrice(p), listPrice: minPrice(p) + 6000, sold: p.sold });

const state = { users: { o_buyer: { nickname: '演示买家', roles: [] }, o_merchant: { nickname: '演示商家', roles: ['merchant'] } }, addresses: [], orders: [], afterSales: [] };
let seq = 1;
const ok = (data) => ({ ok: true, data });
const fail = (code, message) => ({ ok: false, code, message });
const quote = (lines) => {
  const qs = lines.map((l) => { const s = skus.find((x) => x._id === l.skuId); const p = products.find((x) => x._id === s.productId);
    return { skuId: s._id, qty: l.qty, title: p.title, specText: s.specText, image: p.images[0], unitPrice: s.price, amount: s.price * l.qty, discount: 0, payable: s.price * l.qty, stock: s.stock, available: s.stock >= l.qty }; });
  const goodsFen = qs.reduce((n, l) => n + l.amount, 0);
  const discountFen = goodsFen >= 20000 ? 2000 : 0;
  const shippingFen = goodsFen >= 9900 ? 0 : 1000;
  return { lines: qs, goodsFen, discountFen, shippingFen, payableFen: goodsFen - discountFen + shippingFen, promotions: discountFen ? [{ title: '满200减20', discountFen }] : [] };
};
const counts = (openid) => { const mine = state.orders.filter((o) => o.openid === openid); const c = (s) => mine.filter((o) => o.status === s).length;
  return { pending_payment: c('pending_payment'), pending_shipment: c('pending_shipment'), to_receive: c('shipped'), completed: c('completed'), after_sale: state.afterSales.filter((a) => a.openid === openid && a.status === 'pending').length }; };

const fns = {
  user(e, who) {
    if (e.action === 'login') return ok({ openid: who, user: state.users[who] ?? { nickname: '微信用户', roles: [] } });
    if (e.action === 'addresses.list') return ok(state.addresses.filter((a) => a.openid === who));
    if (e.action === 'addresses.save') { const a = { ...e.address, _id: e.address._id || `a${seq++}`, openid: who }; state.addresses = state.addresses.filter((x) => x._id !== a._id).concat(a); return ok({ address: a }); }
    if (e.action === 'addresses.remove') { state.addresses = state.addresses.filter((x) => x._id !== e.id); return ok({}); }
  },
  catalog(e) {
    if (e.action === 'home') return ok({ banners: [{ image: svg('#fa4126', '双11 狂欢价'), productId: 'p1' }, { image: svg('#ff7a45', '新品首发'), productId: 'p2' }], categories,
      promotions: [{ _id: 'pr1', type: 'full_reduction', title: '全场满200减20', endAt: Date.now() + 86400e3 }, { _id: 'pr2', type: 'discount', title: '限时折扣 精选好物低至8折', endAt: Date.now() + 3600e3 }], feed: { items: products.map(summary), hasMore: false } });
    if (e.action === 'categories') return ok(categories);
    if (e.action === 'products') return ok({ items: products.filter((p) => (!e.categoryId || p.categoryId === e.categoryId) && (!e.keyword || p.title.includes(e.keyword))).map(summary), hasMore: false });
    if (e.action === 'product') { const p = products.find((x) => x._id === e.id); if (!p) return fail('NOT_FOUND', '商品不存在'); return ok({ ...p, minPrice: minPrice(p), skus: skus.filter((s) => s.productId === p._id), promotions: [{ _id: 'pr1', title: '满200减20' }] }); }
  },
  order(e, who) {
    const mine = (id) => state.orders.find((o) => o._id === id && o.openid === who);
    if (e.action === 'quote') return ok(quote(e.lines));
    if (e.action === 'create') {
      const dup = state.orders.find((o) => o.requestId === e.requestId && o.openid === who); if (dup) return ok({ order: dup, payment: { stub: true } });
      const q = quote(e.lines); const addr = state.addresses.find((a) => a._id === e.addressId); if (!addr) return fail('INVALID_INPUT', '请选择收货地址');
      const o = { _id: `O${Date.now()}${seq++}`, openid: who, requestId: e.requestId, status: 'pending_payment', lines: q.lines.map((l, i) => ({ ...l, lineId: `L${i}`, productId: '', refundedQty: 0 })), goodsFen: q.goodsFen, discountFen: q.discountFen, shippingFen: q.shippingFen, payableFen: q.payableFen, address: addr, remark: e.remark, createdAt: Date.now(), expiresAt: Date.now() + 1800e3 };
      state.orders.unshift(o); return ok({ order: o, payment: { stub: true } });
    }
    if (e.action === 'pay') return ok({ payment: { stub: true } });
    if (e.action === 'list') return ok({ items: state.orders.filter((o) => o.openid === who && (e.tab === 'all' || o.status === (e.tab === 'to_receive' ? 'shipped' : e.tab))), hasMore: false });
    if (e.action === 'detail') { const o = mine(e.id); return o ? ok(o) : fail('NOT_FOUND', '订单不存在'); }
    if (e.action === 'counts') return ok(counts(who));
    if (e.action === 'cancel') { const o = mine(e.id); if (!o || o.status !== 'pending_payment') return fail('ILLEGAL_STATE', '当前订单状态不可取消'); o.status = 'cancelled'; o.cancelReason = 'buyer'; return ok({ order: o }); }
    if (e.action === 'confirm') { const o = mine(e.id); if (!o || o.status !== 'shipped') return fail('ILLEGAL_STATE', '当前订单状态不可确认收货'); o.status = 'completed'; o.completedAt = Date.now(); return ok({ order: o }); }
  },
  afterSale(e, who) {
    if (e.action === 'quote') { const o = state.orders.find((x) => x._id === e.orderId); return ok({ refundFen: e.items.reduce((n, it) => { const l = o.lines.find((x) => x.lineId === it.lineId); return n + Math.floor((l.payable * it.qty) / l.qty); }, 0) }); }
    if (e.action === 'apply') { const o = state.orders.find((x) => x._id === e.orderId && x.openid === who); if (!o) return fail('NOT_FOUND', '订单不存在');
      const items = e.items.map((it) => { const l = o.lines.find((x) => x.lineId === it.lineId); return { ...it, refundFen: Math.floor((l.payable * it.qty) / l.qty) }; });
      const a = { _id: `AS${seq++}`, orderId: o._id, openid: who, type: e.type, items, refundFen: items.reduce((n, i) => n + i.refundFen, 0), reason: e.reason, status: 'pending', createdAt: Date.now() };
      state.afterSales.unshift(a); return ok({ afterSale: a }); }
    if (e.action === 'list') return ok({ items: state.afterSales.filter((a) => a.openid === who), hasMore: false });
    if (e.action === 'detail') { const a = state.afterSales.find((x) => x._id === e.id); return a ? ok({ afterSale: a, order: state.orders.find((o) => o._id === a.orderId) }) : fail('NOT_FOUND', '售后单不存在'); }
    if (e.action === 'cancel') { const a = state.afterSales.find((x) => x._id === e.id); a.status = 'cancelled'; return ok({}); }
    if (e.action === 'returnShipping') { const a = state.afterSales.find((x) => x._id === e.id); Object.assign(a, { carrier: e.carrier, trackingNo: e.trackingNo }); return ok({}); }
  },
  admin(e, who) {
    if (!(state.users[who]?.roles ?? []).includes('merchant')) return fail('FORBIDDEN', '无权限');
    if (e.action === 'orders.list') { const items = state.orders.filter((o) => (!e.status || o.status === e.status) && (!e.keyword || o._id.includes(e.keyword) || o.address.name.includes(e.keyword))); return ok({ items, total: items.length, hasMore: false }); }
    if (e.action === 'orders.detail') { const o = state.orders.find((x) => x._id === e.id); return o ? ok(o) : fail('NOT_FOUND', '订单不存在'); }
    if (e.action === 'orders.ship') { const o = state.orders.find((x) => x._id === e.id); if (o.status !== 'pending_shipment') return fail('ILLEGAL_STATE', '当前订单不可发货'); Object.assign(o, { status: 'shipped', carrier: e.carrier, trackingNo: e.trackingNo, shippedAt: Date.now() }); return ok({ order: o }); }
    if (e.action === 'afterSales.list') { const items = state.afterSales.filter((a) => !e.status || a.status === e.status); return ok({ items, total: items.length, hasMore: false }); }
    if (e.action === 'afterSales.detail') { const a = state.afterSales.find((x) => x._id === e.id); return a ? ok({ afterSale: a, order: state.orders.find((o) => o._id === a.orderId) }) : fail('NOT_FOUND', '售后单不存在'); }
    const a = state.afterSales.find((x) => x._id === e.id);
    if (e.action === 'afterSales.approve') { a.status = a.type === 'refund' ? 'refunded' : 'awaiting_return'; return ok({}); }
    if (e.action === 'afterSales.reject') { a.status = 'rejected'; a.merchantReason = e.reason; return ok({}); }
    if (e.action === 'afterSales.receive') { a.status = 'refunded'; return ok({}); }
  },
};

const cookieOpenid = (req) => (/(?:^|;\s*)lc_openid=([^;]+)/.exec(req.headers.cookie || '') || [])[1];
const types = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };
http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    let who = cookieOpenid(req);
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    if (!who) { who = 'o_buyer'; headers['set-cookie'] = `lc_openid=${who}; Path=/; SameSite=Lax`; }
    const json = (v) => { res.writeHead(200, headers); res.end(JSON.stringify(v)); };
    const url = req.url.split('?')[0];
    const ev = body ? JSON.parse(body) : {};
    if (url.startsWith('/fn/')) { const fn = fns[url.slice(4)]; const r = fn && fn(ev, who); return json(r ?? fail('INVALID_INPUT', `未知操作 ${ev.action}`)); }
    if (url === '/__dev/people') return json(Object.entries(state.users).map(([openid, u]) => ({ openid, ...u })));
    if (url === '/__dev/signin') { headers['set-cookie'] = `lc_openid=${ev.openid}; Path=/; SameSite=Lax`; return json({ ok: true, data: { openid: ev.openid } }); }
    if (url === '/__sandbox/pay') { const o = state.orders.find((x) => x._id === ev.outTradeNo); setTimeout(() => { if (o && o.status === 'pending_payment') { o.status = 'pending_shipment'; o.paidAt = Date.now(); } }, 300); return json({ ok: true, data: {} }); }
    const file = path.join(root, url === '/' ? 'index.html' : url);
    fs.readFile(file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html'), (err, buf) => {
      if (err) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'text/html; charset=utf-8' });
      res.end(buf);
    });
  });
}).listen(port, '127.0.0.1', () => console.log(`stub server on http://127.0.0.1:${port}`));
