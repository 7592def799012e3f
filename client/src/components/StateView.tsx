import { View, Text, Button } from '@tarojs/components';
import './StateView.css';

interface Props {
  loading?: boolean;
  error?: string;
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: React.ReactNode;
}

/** Loading / error / empty states for every list (no CDN images: works offline). */
export default function StateView({ loading, error, empty, emptyText = '暂无数据', onRetry, children }: Props) {
  if (loading) {
    return (
      <View className="state state--loading" data-testid="state-loading">
        <View className="state__spinner" />
        <Text className="state__text">加载中…</Text>
      </View>
    );
  }
  if (error) {
    return (
      <View className="state state--error" data-testid="state-error">
        <View className="state__icon state__icon--error">!</View>
        <Text className="state__text">{error}</Text>
        {onRetry && (
          <Button className="state__retry" size="mini" onClick={onRetry}>重新加载</Button>
        )}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="state state--empty" data-testid="state-empty">
        <View className="state__icon">∅</View>
        <Text className="state__text">{emptyText}</Text>
      </View>
    );
  }
  return <>{children}</>;
}
