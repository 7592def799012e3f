import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useUser } from '../stores/user';
import StateView from '../components/StateView';

/** Role gate for the merchant subpackage (the server checks the role again on every call). */
export default function Gate({ children }: { children: React.ReactNode }) {
  const { loaded, roles } = useUser();
  useEffect(() => { if (!loaded) void useUser.getState().login(); }, [loaded]);
  if (!loaded) return <StateView loading />;
  if (!roles.includes('merchant')) {
    return (
      <View className="state" data-testid="admin-forbidden">
        <View className="state__icon state__icon--error">!</View>
        <Text className="state__text">无权限：仅商家可访问商家后台</Text>
      </View>
    );
  }
  return <>{children}</>;
}
