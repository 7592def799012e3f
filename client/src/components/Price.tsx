import { Text } from '@tarojs/components';
import { formatFen } from '../utils/money';
import './Price.css';

interface Props {
  fen: number;
  size?: 'sm' | 'md' | 'lg';
  /** Struck-through list price style. */
  del?: boolean;
  color?: 'red' | 'gray' | 'dark';
  className?: string;
}

/** The only place money is formatted for display. `fen` is an integer amount from the server. */
export default function Price({ fen, size = 'md', del = false, color, className = '' }: Props) {
  const s = formatFen(fen);
  const dot = s.indexOf('.');
  const c = color ?? (del ? 'gray' : 'red');
  return (
    <Text className={`price price--${size} price--${c} ${del ? 'price--del' : ''} ${className}`} data-fen={fen}>
      <Text className="price__sym">¥</Text>
      <Text className="price__int">{s.slice(0, dot)}</Text>
      <Text className="price__dec">{s.slice(dot)}</Text>
    </Text>
  );
}
