import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Canvas, Image } from '@tarojs/components';
import { distShare, type DistMe, type ShareInfo } from '../../services/distribution';
import { fetchProduct } from '../../services/api';
import { errorMessage } from '../../services/cloud';
import type { Product } from '../../services/types';
import { useUser } from '../../stores/user';
import StateView from '../../components/StateView';
import { formatFen } from '../../utils/money';
import { toast, toastError } from '../../utils/ui';
import DistGate from '../Gate';
import '../dist.css';

const W = 600;
const H = 900;

type Ctx = CanvasRenderingContext2D;
type Img = CanvasImageSource;
interface PosterData { title: string; priceFen: number | null; nickname: string; code: string }

/** Draws the poster: product image, title, price, the 小程序码 and who shares it. Same code for weapp (2d canvas) and h5. */
function drawPoster(ctx: Ctx, goods: Img | null, qr: Img | null, d: PosterData) {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  if (goods) ctx.drawImage(goods, 0, 0, W, W);
  else { ctx.fillStyle = '#fff1ef'; ctx.fillRect(0, 0, W, W); ctx.fillStyle = '#fa4126'; ctx.font = 'bold 48px sans-serif'; ctx.fillText('精选好物', 200, 320); }
  ctx.fillStyle = '#333333';
  ctx.font = 'bold 30px sans-serif';
  const title = d.title.length > 17 ? `${d.title.slice(0, 16)}…` : d.title;
  ctx.fillText(title, 32, W + 56);
  if (d.priceFen !== null) {
    ctx.fillStyle = '#fa4126';
    ctx.font = 'bold 44px sans-serif';
    ctx.fillText(`¥${formatFen(d.priceFen)}`, 32, W + 120);
  }
  ctx.fillStyle = '#666666';
  ctx.font = '24px sans-serif';
  ctx.fillText(`${d.nickname} 为你推荐`, 32, W + 190);
  ctx.fillText(`邀请码 ${d.code}`, 32, W + 230);
  ctx.fillStyle = '#999999';
  ctx.font = '20px sans-serif';
  ctx.fillText('长按识别小程序码', 32, W + 270);
  if (qr) ctx.drawImage(qr, W - 212, W + 64, 180, 180);
}

async function localSrc(src: string): Promise<string> {
  if (process.env.TARO_ENV === 'weapp' && src.startsWith('cloud://')) {
    const r = await Taro.cloud.downloadFile({ fileID: src });
    return r.tempFilePath;
  }
  return src;
}

function Poster({ me }: { me: DistMe }) {
  const { params } = useRouter();
  const productId = params.productId ? decodeURIComponent(params.productId) : '';
  const nickname = useUser((s) => s.nickname) || '好友';
  const [share, setShare] = useState<ShareInfo | null>(null);
  const [product, setProduct] = useState<Product | null>(null);
  const [url, setUrl] = useState(''); // rendered poster (data URL in h5, temp file in weapp)
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    setError('');
    setUrl('');
    try {
      const [s, p] = await Promise.all([distShare(productId || undefined), productId ? fetchProduct(productId) : Promise.resolve(null)]);
      setShare(s);
      setProduct(p);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [productId]);
  useEffect(() => { void load(); }, [load]);

  const data: PosterData = {
    title: product?.title ?? '邀你一起逛好物商城',
    priceFen: product ? Math.min(...(product.skus.length ? product.skus.map((s) => s.promoPrice ?? s.price) : [product.minPrice])) : null,
    nickname,
    code: me.code,
  };

  // Render once the data is in.
  useEffect(() => {
    if (!share) return;
    let cancelled = false;
    const goodsSrc = product?.images[0] ?? '';
    (async () => {
      if (process.env.TARO_ENV === 'h5') {
        const loadImg = (src: string) => new Promise<HTMLImageElement | null>((resolve) => {
          if (!src) { resolve(null); return; }
          const img = new window.Image();
          img.crossOrigin = 'anonymous';
          img.onload = () => resolve(img);
          img.onerror = () => resolve(null);
          img.src = src;
        });
        const [g, q] = await Promise.all([loadImg(goodsSrc), loadImg(share.qrcodeUrl)]);
        const canvas = document.createElement('canvas');
        canvas.width = W; canvas.height = H;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no canvas');
        drawPoster(ctx, g, q, data);
        if (!cancelled) setUrl(canvas.toDataURL('image/png'));
      } else {
        const node = await new Promise<any>((resolve) => {
          Taro.createSelectorQuery().select('#poster').fields({ node: true, size: true }).exec((res) => resolve(res?.[0]?.node));
        });
        if (!node) throw new Error('no canvas');
        node.width = W; node.height = H;
        const ctx = node.getContext('2d') as Ctx;
        const loadImg = async (src: string) => {
          if (!src) return null;
          const path = await localSrc(src);
          return new Promise<Img | null>((resolve) => {
            const img = node.createImage();
            img.onload = () => resolve(img);
            img.onerror = () => resolve(null);
            img.src = path;
          });
        };
        const [g, q] = await Promise.all([loadImg(goodsSrc), loadImg(share.fileID || share.qrcodeUrl)]);
        drawPoster(ctx, g, q, data);
        const r = await Taro.canvasToTempFilePath({ canvas: node, x: 0, y: 0, width: W, height: H, destWidth: W * 2, destHeight: H * 2 } as any);
        if (!cancelled) setUrl(r.tempFilePath);
      }
    })().catch(() => { if (!cancelled) setError('海报生成失败，请重试'); });
    return () => { cancelled = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [share, product]);

  const save = async () => {
    if (!url) return;
    if (process.env.TARO_ENV === 'h5') {
      const a = document.createElement('a');
      a.href = url;
      a.download = `poster-${me.code}${productId ? `-${productId}` : ''}.png`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      return;
    }
    try {
      await Taro.saveImageToPhotosAlbum({ filePath: url });
      toast('已保存到相册', 'success');
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? '');
      if (/auth|deny/.test(msg)) {
        const go = await Taro.showModal({ title: '需要相册权限', content: '请在设置中允许保存到相册', confirmText: '去设置' });
        if (go.confirm) void Taro.openSetting();
      } else if (!/cancel/.test(msg)) toastError(e);
    }
  };

  return (
    <View className="page">
      {process.env.TARO_ENV === 'weapp' && <Canvas type="2d" id="poster" className="dc__poster-canvas" />}
      <StateView loading={!url && !error} error={error} onRetry={load}>
        <View className="dc__poster-wrap">
          <Image className="dc__poster-img" src={url} mode="aspectFit" data-testid="poster-image" showMenuByLongpress />
        </View>
        <View style={{ padding: '0 48px' }}>
          <View className="btn btn--primary btn--block" data-testid="poster-save" onClick={save}>
            {process.env.TARO_ENV === 'h5' ? '下载海报' : '保存到相册'}
          </View>
          <Text className="muted" style={{ display: 'block', textAlign: 'center', marginTop: '16px' }}>好友扫码进入商城即成为你的客户</Text>
        </View>
      </StateView>
    </View>
  );
}

export default function DistPoster() { return <DistGate>{(me) => <Poster me={me} />}</DistGate>; }
