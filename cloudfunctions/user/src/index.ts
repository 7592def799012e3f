/** user: login (upsert users) and the shopper's addresses. */
import { z } from '../../../server/zod';
import { fail, ok } from '../../../core/errors';
import { addressSchema } from '../../../server/address';
import { action, defineHandler, zs } from '../../../server/handler';
import { db, cmd, isDuplicateKeyError, randomHex } from '../../../server/cloud';

const MAX_ADDRESSES = 20;

interface UserDoc {
  _id: string;
  nickname: string;
  avatar: string;
  roles: string[];
  createdAt: number;
}


export const main = defineHandler({
  actions: {
    login: action({
      input: z.object({
        nickname: zs.text('昵称', 32).optional(),
        avatar: zs.text('头像', 500).optional(),
      }),
      run: async (input, ctx) => {
        const users = db().collection('users');
        let user = (await users.doc(ctx.openid).get()).data as UserDoc | null;
        if (!user) {
          const doc: UserDoc = { _id: ctx.openid, nickname: input.nickname || '微信用户', avatar: input.avatar || '', roles: [], createdAt: ctx.now };
          try {
            await users.add({ data: doc });
            user = doc;
          } catch (e) {
            if (!isDuplicateKeyError(e)) throw e;
            user = (await users.doc(ctx.openid).get()).data as UserDoc;
          }
        }
        if ((input.nickname && input.nickname !== user.nickname) || (input.avatar && input.avatar !== user.avatar)) {
          const patch: Partial<UserDoc> = {};
          if (input.nickname) patch.nickname = input.nickname;
          if (input.avatar) patch.avatar = input.avatar;
          await users.doc(ctx.openid).update({ data: patch });
          user = { ...user, ...patch };
        }
        return ok({ openid: ctx.openid, user: { nickname: user.nickname, avatar: user.avatar, roles: user.roles ?? [] } });
      },
    }),

    'addresses.list': action({
      input: z.object({}),
      run: async (_i, ctx) => {
        const res = await db().collection('addresses').where({ openid: ctx.openid }).orderBy('createdAt', 'desc').limit(MAX_ADDRESSES).get();
        const list = ((res.data as { isDefault?: boolean }[]) ?? []).sort((a, b) => Number(!!b.isDefault) - Number(!!a.isDefault));
        return ok(list);
      },
    }),

    'addresses.save': action({
      input: z.object({ address: addressSchema }),
      run: async (input, ctx) => {
        const a = input.address;
        const coll = db().collection('addresses');
        const fields = { name: a.name, phone: a.phone, region: a.region, detail: a.detail, isDefault: !!a.isDefault };
        let id = a.id;
        if (id) {
          const res = await coll.where({ _id: id, openid: ctx.openid }).update({ data: { ...fields, region: cmd().set(a.region), updatedAt: ctx.now } });
          if ((res?.stats?.updated ?? 0) === 0) {
            const existing = (await coll.doc(id).get()).data as { openid?: string } | null;
            if (!existing || existing.openid !== ctx.openid) return fail('NOT_FOUND', '收货地址不存在');
          }
        } else {
          const count = (await coll.where({ openid: ctx.openid }).count()).total as number;
          if (count >= MAX_ADDRESSES) return fail('INVALID_INPUT', `最多保存${MAX_ADDRESSES}个收货地址`);
          id = `a${ctx.now.toString(36)}${randomHex(12)}`;
          await coll.add({ data: { _id: id, openid: ctx.openid, ...fields, isDefault: fields.isDefault || count === 0, createdAt: ctx.now } });
        }
        if (fields.isDefault) {
          await coll.where({ openid: ctx.openid, isDefault: true, _id: cmd().neq(id) }).update({ data: { isDefault: false } });
        }
        const saved = (await coll.doc(id).get()).data;
        return ok(saved);
      },
    }),

    'addresses.remove': action({
      input: z.object({ id: zs.id('地址编号') }),
      run: async (input, ctx) => {
        await db().collection('addresses').where({ _id: input.id, openid: ctx.openid }).remove();
        return ok({ id: input.id });
      },
    }),
  },
});
