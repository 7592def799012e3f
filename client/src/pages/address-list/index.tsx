import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { listAddresses, removeAddress } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Address } from '../../services/types';
import { useCheckout } from '../../stores/checkout';
import StateView from '../../components/StateView';
import { confirmDialog, toastError } from '../../utils/ui';
import './index.css';

export default function AddressList() {
  const { params } = useRouter();
  const selectMode = params.select === '1';
  const [list, setList] = useState<Address[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const selectAddress = useCheckout((s) => s.selectAddress);
  const selectedId = useCheckout((s) => s.address?._id);

  const load = useCallback(async () => {
    setError('');
    try {
      setList(await listAddresses());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useDidShow(() => { void load(); });

  const pick = (a: Address) => {
    if (!selectMode) return;
    selectAddress(a);
    void Taro.navigateBack();
  };
  const remove = async (a: Address) => {
    if (!(await confirmDialog('删除地址', `确定删除 ${a.name} 的地址吗？`, '删除'))) return;
    try {
      await removeAddress(a._id);
      if (selectedId === a._id) selectAddress(null);
      await load();
    } catch (e) {
      toastError(e);
    }
  };

  return (
    <View className="page addr">
      <StateView loading={loading} error={error} empty={!list.length} emptyText="还没有收货地址" onRetry={load}>
        {list.map((a) => (
          <View key={a._id} className={`card addr__item ${selectMode && selectedId === a._id ? 'addr__item--on' : ''}`} data-testid="address-item" onClick={() => pick(a)}>
            <View className="row">
              <Text className="title">{a.name}</Text>
              <Text className="addr__phone">{a.phone}</Text>
              {a.isDefault && <Text className="addr__default">默认</Text>}
            </View>
            <Text className="addr__text">{a.region.join(' ')} {a.detail}</Text>
            <View className="addr__ops">
              <Text className="addr__op" onClick={(e) => { e.stopPropagation(); void Taro.navigateTo({ url: `/pages/address-edit/index?id=${a._id}` }); }}>编辑</Text>
              <Text className="addr__op" onClick={(e) => { e.stopPropagation(); void remove(a); }}>删除</Text>
            </View>
          </View>
        ))}
      </StateView>
      <View className="bottom-bar">
        <View className="btn btn--primary btn--block" data-testid="address-add" onClick={() => Taro.navigateTo({ url: `/pages/address-edit/index${selectMode ? '?select=1' : ''}` })}>新增收货地址</View>
      </View>
    </View>
  );
}
