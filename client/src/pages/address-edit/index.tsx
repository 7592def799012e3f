import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input, Switch, Picker } from '@tarojs/components';
import { listAddresses, saveAddress } from '../../services/api';
import type { Address } from '../../services/types';
import { useCheckout } from '../../stores/checkout';
import { toast, toastError } from '../../utils/ui';
import './index.css';

export default function AddressEdit() {
  const { params } = useRouter();
  const id = params.id ? decodeURIComponent(params.id) : '';
  const selectMode = params.select === '1';
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [region, setRegion] = useState<string[]>(['', '', '']);
  const [detail, setDetail] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const [saving, setSaving] = useState(false);
  const selectAddress = useCheckout((s) => s.selectAddress);

  useEffect(() => {
    if (!id) return;
    void Taro.setNavigationBarTitle({ title: '编辑收货地址' });
    listAddresses().then((list) => {
      const a = list.find((x) => x._id === id);
      if (!a) return;
      setName(a.name); setPhone(a.phone); setRegion([a.region[0] ?? '', a.region[1] ?? '', a.region[2] ?? '']);
      setDetail(a.detail); setIsDefault(!!a.isDefault);
    }).catch(toastError);
  }, [id]);

  const setPart = (i: number, v: string) => setRegion((r) => r.map((x, j) => (j === i ? v : x)));

  const save = async () => {
    if (saving) return;
    if (!name.trim()) { toast('请填写收货人'); return; }
    if (!/^1\d{10}$/.test(phone.trim())) { toast('请填写正确的11位手机号'); return; }
    if (region.some((x) => !x.trim())) { toast('请填写完整的省、市、区'); return; }
    if (detail.trim().length < 2) { toast('请填写详细地址'); return; }
    setSaving(true);
    try {
      const payload: Partial<Address> = { name: name.trim(), phone: phone.trim(), region: region.map((x) => x.trim()), detail: detail.trim(), isDefault };
      if (id) (payload as Record<string, unknown>).id = id;
      const saved = await saveAddress(payload);
      toast('已保存', 'success');
      if (selectMode && saved && saved._id) {
        selectAddress({ ...(payload as Address), ...saved });
        void Taro.navigateBack({ delta: 2 });
      } else {
        void Taro.navigateBack();
      }
    } catch (e) {
      toastError(e);
      setSaving(false);
    }
  };

  return (
    <View className="page ae">
      <View className="card">
        <View className="field"><Text className="field__label">收货人</Text><Input className="field__input" id="address-name" data-testid="address-name" value={name} placeholder="请填写收货人姓名" onInput={(e) => setName(e.detail.value)} /></View>
        <View className="field"><Text className="field__label">手机号</Text><Input className="field__input" id="address-phone" data-testid="address-phone" type="number" maxlength={11} value={phone} placeholder="请填写收货人手机号" onInput={(e) => setPhone(e.detail.value)} /></View>
        <View className="field">
          <Text className="field__label">所在地区</Text>
          <View className="ae__region">
            <Input className="ae__part" id="address-province" data-testid="address-province" value={region[0]} placeholder="省" onInput={(e) => setPart(0, e.detail.value)} />
            <Input className="ae__part" id="address-city" data-testid="address-city" value={region[1]} placeholder="市" onInput={(e) => setPart(1, e.detail.value)} />
            <Input className="ae__part" id="address-district" data-testid="address-district" value={region[2]} placeholder="区/县" onInput={(e) => setPart(2, e.detail.value)} />
          </View>
          {process.env.TARO_ENV === 'weapp' && (
            <Picker mode="region" value={region} onChange={(e) => setRegion((e.detail.value as string[]).slice(0, 3))}>
              <Text className="ae__pick">选择</Text>
            </Picker>
          )}
        </View>
        <View className="field"><Text className="field__label">详细地址</Text><Input className="field__input" id="address-detail" data-testid="address-detail" value={detail} placeholder="街道、楼牌号等" onInput={(e) => setDetail(e.detail.value)} /></View>
        <View className="field between"><Text className="field__label">设为默认地址</Text><Switch checked={isDefault} color="#fa4126" onChange={(e) => setIsDefault(e.detail.value)} /></View>
      </View>
      <View className="bottom-bar">
        <View className={`btn btn--primary btn--block ${saving ? 'btn--disabled' : ''}`} data-testid="address-save" onClick={save}>保存地址</View>
      </View>
    </View>
  );
}
