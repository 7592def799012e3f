import { useState, useEffect } from 'react';
import { View, Text, Textarea } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { toast } from '../utils/ui';

interface Props {
  visible: boolean;
  title: string;
  hint?: string;
  confirmText?: string;
  children?: React.ReactNode;
  onClose: () => void;
  /** Called with the (non-empty) reason. */
  onSubmit: (reason: string) => void | Promise<void>;
}

/** A bottom sheet asking for a required reason (merchant actions that change someone's money or binding). */
export default function ReasonPopup({ visible, title, hint, confirmText = '确定', children, onClose, onSubmit }: Props) {
  const [reason, setReason] = useState('');
  useEffect(() => { if (visible) setReason(''); }, [visible]);
  return (
    <Popup visible={visible} position="bottom" round closeable onClose={onClose}>
      <View className="adm__form" data-testid="reason-form">
        <Text className="title">{title}</Text>
        {hint && <Text className="muted">{hint}</Text>}
        {children}
        <Textarea className="textarea" value={reason} maxlength={200} placeholder="请填写原因（必填）" onInput={(e) => setReason(e.detail.value)} />
        <View className="btn btn--primary btn--block" data-testid="reason-submit"
          onClick={() => { if (!reason.trim()) { toast('请填写原因'); return; } void onSubmit(reason.trim()); }}>{confirmText}</View>
      </View>
    </Popup>
  );
}
