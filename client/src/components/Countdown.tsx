import { useEffect, useState } from 'react';
import { Text } from '@tarojs/components';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Display-only countdown to `endAt` (epoch ms or ISO string); the server decides whether a promotion applies. */
export default function Countdown({ endAt, className = '' }: { endAt: number | string; className?: string }) {
  const end = typeof endAt === 'number' ? endAt : Date.parse(endAt);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!Number.isFinite(end)) return null;
  const left = Math.max(0, Math.floor((end - now) / 1000));
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return (
    <Text className={className}>
      {left === 0 ? '已结束' : `距结束 ${d > 0 ? `${d}天 ` : ''}${pad(h)}:${pad(m)}:${pad(s)}`}
    </Text>
  );
}
