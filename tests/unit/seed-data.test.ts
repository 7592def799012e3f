import { PNG } from 'pngjs';
import { demoShop, imageSpecs, DEMO_OPENIDS, DAY_MS, type DemoShop } from '../../scripts/seed/demo-data';
import { renderImages, renderOne, PNG_SIGNATURE } from '../../scripts/seed/images';
import { seedInto, seedLocal } from '../../scripts/seed/seed';

const NOW = Date.UTC(2026, 10, 26, 2, 0, 0);
const storagePath = (url: string) => url.replace(/^\/storage\//, '');

describe('demo shop data', () => {
  let shop: DemoShop;
  beforeAll(() => {
    shop = demoShop(NOW);
  });

  it('is deterministic in the clock', () => {
    expect(JSON.stringify(demoShop(NOW))).toBe(JSON.stringify(shop));
    const later = demoShop(NOW + DAY_MS);
    expect(later.skus).toEqual(shop.skus);
    expect(later.promotions[0].startAt).toBe(shop.promotions[0].startAt + DAY_MS);
  });

  it('has ≥ 30 products in ≥ 5 top-level categories of a two-level tree', () => {
    expect(shop.products.length).toBeGreaterThanOrEqual(30);
    const byId = new Map(shop.categories.map((c) => [c._id, c]));
    const tops = shop.categories.filter((c) => c.parentId === null);
    expect(tops.length).toBeGreaterThanOrEqual(5);
    for (const c of shop.categories) {
      if (c.parentId !== null) expect(byId.get(c.parentId)?.parentId).toBeNull();
    }
    const topsWithProducts = new Set<string>();
    for (const p of shop.products) {
      const cat = byId.get(p.categoryId);
      expect(cat).toBeDefined();
      topsWithProducts.add(cat!.parentId ?? cat!._id);
    }
    expect(topsWithProducts.size).toBeGreaterThanOrEqual(5);
    expect(new Set(shop.categories.map((c) => c._id)).size).toBe(shop.categories.length);
  });

  it('prices are positive integer fen, listPrice ≥ price, stock is an integer in range', () => {
    for (const s of shop.skus) {
      expect(Number.isInteger(s.price)).toBe(true);
      expect(s.price).toBeGreaterThan(0);
      if (s.listPrice !== undefined) {
        expect(Number.isInteger(s.listPrice)).toBe(true);
        expect(s.listPrice).toBeGreaterThanOrEqual(s.price);
      }
      expect(Number.isInteger(s.stock)).toBe(true);
      expect(s.stock).toBeGreaterThanOrEqual(0);
      expect(s.stock).toBeLessThanOrEqual(200);
      expect(s.holds).toEqual([]);
    }
    expect(shop.skus.filter((s) => s.stock === 0)).toHaveLength(1);
    const lastFive = shop.products.filter((p) => shop.skus.filter((s) => s.productId === p._id).reduce((n, s) => n + s.stock, 0) === 5);
    expect(lastFive).toHaveLength(1);
  });

  it('SKU and product ids are unique and readable; SKUs cover every spec combination', () => {
    expect(new Set(shop.skus.map((s) => s._id)).size).toBe(shop.skus.length);
    expect(new Set(shop.products.map((p) => p._id)).size).toBe(shop.products.length);
    for (const p of shop.products) {
      expect(p._id).toMatch(/^p\d{3}$/);
      expect(p.specs.length).toBeGreaterThanOrEqual(1);
      expect(p.specs.length).toBeLessThanOrEqual(2);
      const combos = p.specs.reduce((n, d) => n * d.values.length, 1);
      const skus = shop.skus.filter((s) => s.productId === p._id);
      expect(skus).toHaveLength(combos);
      for (const s of skus) {
        expect(s._id.startsWith(`${p._id}-s`)).toBe(true);
        expect(s.specValues).toHaveLength(p.specs.length);
        s.specValues.forEach((v, i) => expect(p.specs[i].values).toContain(v));
      }
      expect(new Set(skus.map((s) => s.specValues.join('|'))).size).toBe(skus.length);
    }
  });

  it('product.skus snapshot, minPrice, sold and onShelf agree with the skus collection', () => {
    for (const p of shop.products) {
      const skus = shop.skus.filter((s) => s.productId === p._id);
      expect(p.skus).toEqual(
        skus.map((s) => (s.listPrice === undefined ? { _id: s._id, specValues: s.specValues, price: s.price } : { _id: s._id, specValues: s.specValues, price: s.price, listPrice: s.listPrice })),
      );
      expect(p.minPrice).toBe(Math.min(...skus.map((s) => s.price)));
      expect(p.sold).toBe(skus.reduce((n, s) => n + s.sold, 0));
      for (const s of skus) {
        expect(s.onShelf).toBe(p.status === 'on_shelf');
        expect(s.categoryId).toBe(p.categoryId);
        expect(s.image).toBe(p.images[0]);
      }
    }
    expect(shop.products.filter((p) => p.status === 'off_shelf')).toHaveLength(1);
    expect(shop.products.filter((p) => p.status === 'on_shelf').length).toBe(shop.products.length - 1);
  });

  it('promotions reference existing SKUs and products, with an active window and sane amounts', () => {
    const skuById = new Map(shop.skus.map((s) => [s._id, s]));
    const productIds = new Set(shop.products.map((p) => p._id));
    const flash = shop.promotions.find((p) => p.type === 'discount')!;
    const full = shop.promotions.find((p) => p.type === 'full_reduction')!;
    expect(flash.startAt).toBe(NOW - DAY_MS);
    expect(flash.endAt).toBe(NOW + 7 * DAY_MS);
    const flashProducts = new Set<string>();
    for (const [skuId, fen] of Object.entries(flash.skuPrices ?? {})) {
      const sku = skuById.get(skuId);
      expect(sku).toBeDefined();
      expect(sku!.onShelf).toBe(true);
      expect(Number.isInteger(fen)).toBe(true);
      expect(fen).toBeGreaterThan(0);
      expect(fen).toBeLessThan(sku!.price);
      flashProducts.add(sku!.productId);
    }
    expect(flashProducts.size).toBeGreaterThanOrEqual(3);
    expect(flashProducts.size).toBeLessThanOrEqual(5);
    expect([...flashProducts].sort()).toEqual([...(flash.productIds ?? [])].sort());
    for (const promo of shop.promotions) {
      for (const id of promo.productIds ?? []) expect(productIds.has(id)).toBe(true);
      expect(promo.startAt).toBeLessThan(NOW);
      expect(promo.endAt).toBeGreaterThan(NOW);
    }
    expect(full.tiers).toEqual([
      { thresholdFen: 19900, reduceFen: 2000 },
      { thresholdFen: 39900, reduceFen: 5000 },
    ]);
  });

  it('settings, people and addresses follow the contract', () => {
    expect(shop.settings).toHaveLength(1);
    expect(shop.settings[0]).toMatchObject({ _id: 'shop', shippingFen: 800, freeShippingOverFen: 9900, unpaidCloseMinutes: 30, autoConfirmDays: 10, returnWindowDays: 7 });
    const users = new Map(shop.users.map((u) => [u._id, u]));
    expect(users.get(DEMO_OPENIDS.merchant)?.roles).toEqual(['merchant']);
    expect(users.get(DEMO_OPENIDS.shopper)?.roles).toEqual([]);
    expect(users.get(DEMO_OPENIDS.distributor)?.devLabel).toBe('李姐 / 分销商');
    for (const u of shop.users) expect(u.devLabel).toBeTruthy();
    const addrs = shop.addresses.filter((a) => a.openid === DEMO_OPENIDS.shopper);
    expect(addrs).toHaveLength(2);
    expect(addrs.filter((a) => a.isDefault)).toHaveLength(1);
    for (const a of addrs) {
      expect(a.region).toHaveLength(3);
      expect(a.phone).toMatch(/^1\d{10}$/);
    }
  });
});

describe('demo images', () => {
  let images: Map<string, Buffer>;
  beforeAll(() => {
    images = renderImages();
  });

  it('renders every image the documents reference, each a valid small PNG', () => {
    const shop = demoShop(NOW);
    const referenced = new Set<string>([
      ...shop.products.flatMap((p) => [...p.images, ...p.detailImages]),
      ...shop.skus.map((s) => s.image),
      ...shop.categories.map((c) => c.icon),
      ...shop.users.map((u) => u.avatar),
      ...shop.settings[0].banners.map((b) => b.image),
    ]);
    expect(shop.settings[0].banners).toHaveLength(3);
    for (const url of referenced) {
      expect(url.startsWith('/storage/')).toBe(true);
      expect(images.has(storagePath(url))).toBe(true);
    }
    for (const p of shop.products) {
      expect(p.images).toHaveLength(2);
      expect(p.detailImages.length).toBeGreaterThanOrEqual(1);
      expect(p.detailImages.length).toBeLessThanOrEqual(2);
    }
    for (const [path, buf] of images) {
      expect(buf.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(buf.length).toBeLessThan(20_000);
      expect(path).toMatch(/^(products|banners|categories|avatars)\/[\w-]+\.png$/);
    }
  });

  it('decodes (pngjs checks CRCs) to the declared sizes; rendering is deterministic', () => {
    const wanted = ['products/p001-1.png', 'products/p001-d1.png', 'banners/b1.png', 'categories/c01.png'];
    const specs = imageSpecs().filter((s) => wanted.includes(s.path));
    expect(specs).toHaveLength(wanted.length);
    for (const spec of specs) {
      const png = PNG.sync.read(images.get(spec.path)!);
      expect([png.width, png.height]).toEqual([spec.width, spec.height]);
      // not a blank canvas: at least a background, a shape and a detail colour
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
      expect(colours.size).toBeGreaterThanOrEqual(3);
    }
    expect(PNG.sync.read(images.get('banners/b1.png')!)).toMatchObject({ width: 750, height: 320 });
    const p2 = imageSpecs().find((s) => s.path === 'products/p002-1.png')!;
    expect(renderOne(p2).equals(images.get('products/p002-1.png')!)).toBe(true);
    expect(images.get('products/p001-1.png')!.equals(images.get('products/p002-1.png')!)).toBe(false);
  });
});

describe('seedInto / seedLocal', () => {
  it('writes every document once through set(coll, id, doc) and uses putFile URLs, idempotently', async () => {
    const store = new Map<string, Record<string, unknown>>();
    const files = new Map<string, Buffer>();
    const target = {
      db: {
        async set(coll: string, id: string, doc: Record<string, unknown>) {
          expect('_id' in doc).toBe(false);
          store.set(`${coll}/${id}`, doc);
        },
      },
      async putFile(path: string, buf: Buffer, contentType: string) {
        expect(contentType).toBe('image/png');
        files.set(path, buf);
        return `cloud://env-1.bucket/${path}`;
      },
    };
    const first = await seedInto(target, NOW);
    const size = store.size;
    await seedInto(target, NOW);
    expect(store.size).toBe(size);
    const shop = demoShop(NOW);
    expect(first.docs.skus).toBe(shop.skus.length);
    expect(size).toBe(Object.values(first.docs).reduce((a, b) => a + b, 0));
    expect(files.size).toBe(renderImages().size);
    const p1 = store.get('products/p001') as { images: string[] };
    expect(p1.images[0]).toBe('cloud://env-1.bucket/products/p001-1.png');
    expect((store.get('settings/shop') as { shippingFen: number }).shippingFen).toBe(800);
  });

  it('seedLocal replaces existing documents instead of duplicating them', async () => {
    const colls = new Map<string, Map<string, Record<string, unknown>>>();
    const coll = (c: string) => colls.get(c) ?? colls.set(c, new Map()).get(c)!;
    const stored: string[] = [];
    const lc = {
      db: {
        insert(c: string, doc: Record<string, unknown>) {
          if (coll(c).has(doc._id as string)) throw new Error('duplicate _id');
          coll(c).set(doc._id as string, doc);
        },
        get: (c: string, id: string) => coll(c).get(id) ?? null,
        remove: (c: string, id: string) => coll(c).delete(id),
      },
      storage: { put: (path: string) => void stored.push(path) },
    };
    await seedLocal(lc, NOW);
    await seedLocal(lc, NOW + 1000);
    expect(coll('products').size).toBe(demoShop(NOW).products.length);
    expect((coll('products').get('p001') as { images: string[] }).images[0]).toBe('/storage/products/p001-1.png');
    expect((coll('promotions').get('promo-flash') as { startAt: number }).startAt).toBe(NOW + 1000 - DAY_MS);
  });
});
