import { z, type output } from './zod';
import { zs } from './handler';

/** A shipping address as the buyer enters it (also the snapshot an order keeps). */
export const addressSchema = z.object({
  id: zs.id('地址编号').optional(),
  name: z.string({ error: '请填写收货人' }).trim().min(1, { error: '请填写收货人' }).max(20, { error: '收货人不能超过20个字' }),
  phone: z.string({ error: '请填写手机号' }).regex(/^1\d{10}$/, { error: '手机号格式不正确' }),
  region: z
    .array(z.string({ error: '请选择所在地区' }).min(1, { error: '请选择所在地区' }), { error: '请选择所在地区' })
    .length(3, { error: '请选择所在地区' }),
  detail: z.string({ error: '请填写详细地址' }).trim().min(2, { error: '请填写详细地址' }).max(100, { error: '详细地址不能超过100个字' }),
  isDefault: z.boolean({ error: '默认地址设置不正确' }).optional(),
});

export type AddressInput = output<typeof addressSchema>;
