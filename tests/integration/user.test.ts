/** user: login upserts the user once; addresses are per-buyer with Chinese validation messages. */
import { startTestCloud, call, type LocalCloud } from '../helpers/cloud';
import { seedShop, BUYER, BUYER2, MERCHANT } from '../helpers/fixtures';

jest.setTimeout(120_000);

let lc: LocalCloud;

beforeAll(async () => {
  lc = await startTestCloud();
});
afterAll(async () => {
  await lc?.stop();
});
beforeEach(() => {
  lc.db.clear();
  seedShop(lc);
});

test('login creates the user once (also under concurrent calls) and returns the roles', async () => {
  const fresh = 'o_new_user';
  const rs = await Promise.all([1, 2, 3].map(() => call(lc, 'user', 'login', {}, fresh)));
  for (const r of rs) expect(r).toEqual({ ok: true, data: { openid: fresh, user: { nickname: '微信用户', avatar: '', roles: [] } } });
  expect(lc.db.find('users', { _id: fresh })).toHaveLength(1);
  const m = await call(lc, 'user', 'login', { roles: ['merchant'] }, MERCHANT);
  expect(m.data.user.roles).toEqual(['merchant']);
  // roles in the payload are ignored
  const forged = await call(lc, 'user', 'login', { roles: ['merchant'], openid: MERCHANT }, fresh);
  expect(forged.data).toEqual(expect.objectContaining({ openid: fresh, user: expect.objectContaining({ roles: [] }) }));
  const anon = await lc.invoke('user', { action: 'login' }, { source: 'wx_client' });
  expect(anon).toEqual(expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' }));
});

test('addresses: save validates in Chinese, the default is unique, buyers see and remove only their own', async () => {
  const bad = await call(lc, 'user', 'addresses.save', { address: { name: '李四', phone: '123', region: ['广东省', '深圳市', '南山区'], detail: '科技园2号' } }, BUYER);
  expect(bad).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_INPUT', message: '手机号格式不正确' }));
  const missing = await call(lc, 'user', 'addresses.save', { address: { phone: '13900000000', region: ['广东省', '深圳市', '南山区'], detail: '科技园2号' } }, BUYER);
  expect(missing).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_INPUT', message: '请填写收货人' }));
  const saved = await call(
    lc,
    'user',
    'addresses.save',
    { address: { name: '李四', phone: '13900000000', region: ['广东省', '广州市', '天河区'], detail: '体育西路1号', isDefault: true } },
    BUYER,
  );
  expect(saved.ok).toBe(true);
  expect(saved.data).toEqual(expect.objectContaining({ openid: BUYER, isDefault: true, name: '李四' }));
  const list = await call(lc, 'user', 'addresses.list', {}, BUYER);
  expect(list.data.map((a: { _id: string; isDefault: boolean }) => [a._id, a.isDefault])).toEqual([
    [saved.data._id, true],
    [`addr_${BUYER}`, false],
  ]);
  // another buyer cannot edit or delete it
  const steal = await call(lc, 'user', 'addresses.save', { address: { id: saved.data._id, name: '王五', phone: '13700000000', region: ['a', 'b', 'c'], detail: '某处某号' } }, BUYER2);
  expect(steal).toEqual(expect.objectContaining({ ok: false, code: 'NOT_FOUND' }));
  await call(lc, 'user', 'addresses.remove', { id: saved.data._id }, BUYER2);
  expect(lc.db.get('addresses', saved.data._id)).toEqual(expect.objectContaining({ name: '李四' }));
  await call(lc, 'user', 'addresses.remove', { id: saved.data._id }, BUYER);
  expect(lc.db.get('addresses', saved.data._id)).toBeNull();
});
