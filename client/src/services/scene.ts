// Share surfaces on the client: thin wrappers over core/distribution/codes (the single definition of paths,
// queries and 小程序码 scenes).
import { parseScene, sharePath, shareQuery, normalizeDistributorCode } from '@core/distribution/codes';

export { normalizeDistributorCode };

/** 小程序码 scene (possibly still URL-encoded) → distributor code, or null. */
export function parseSceneCode(scene: string): string | null {
  return parseScene(scene).code ?? null;
}

/** Product id carried in a scene (`p=`), if any. */
export function parseSceneProduct(scene: string): string | null {
  return parseScene(scene).productId ?? null;
}

/** Share path for a card (`onShareAppMessage`) — the code travels in the query as `dc`. */
export function sharePathFor(code: string, productId?: string): string {
  try {
    return sharePath({ code, productId });
  } catch {
    // a code core does not accept (e.g. legacy data): still share, never crash the page
    const dc = encodeURIComponent(code);
    return productId ? `/pages/product/index?id=${encodeURIComponent(productId)}&dc=${dc}` : `/pages/index/index?dc=${dc}`;
  }
}
/** Query for a Moments share (`onShareTimeline`); `from=moments` records the source. */
export function shareQueryFor(code: string, productId?: string): string {
  let q: string;
  try {
    q = shareQuery({ code, productId });
  } catch {
    q = `dc=${encodeURIComponent(code)}${productId ? `&id=${encodeURIComponent(productId)}` : ''}`;
  }
  return `${q}&from=moments`;
}

/** The link a person opens: in h5 (the local demo mall) a full URL, in weapp the mini-program path. */
export function shareLink(path: string): string {
  if (process.env.TARO_ENV === 'h5') return `${location.origin}${location.pathname}#${path}`;
  return path;
}
