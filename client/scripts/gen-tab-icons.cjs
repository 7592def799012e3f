// Generates the tiny tab bar PNGs (weapp tabBar icons must be local files). Run: node client/scripts/gen-tab-icons.cjs
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');

const S = 64;
const out = path.join(__dirname, '..', 'src', 'assets', 'tab');
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const ring = (x, y, cx, cy, r, w) => { const d = Math.hypot(x - cx, y - cy); return d <= r && d >= r - w; };
const disk = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) <= r;
const shapes = {
  home: (x, y) => {
    // roof triangle outline + body outline
    const roof = y >= 10 && y <= 32 && Math.abs(x - 32) <= (y - 10) * 1.1 + 3 && Math.abs(x - 32) >= (y - 10) * 1.1 - 4;
    const body = inRect(x, y, 14, 30, 50, 54) && !inRect(x, y, 19, 30, 45, 49);
    const door = inRect(x, y, 27, 40, 37, 54);
    return roof || body || door;
  },
  category: (x, y) => [[10, 10], [36, 10], [10, 36], [36, 36]].some(([a, b]) => inRect(x, y, a, b, a + 18, b + 18) && !inRect(x, y, a + 4, b + 4, a + 14, b + 14)),
  cart: (x, y) => {
    const basket = inRect(x, y, 14, 18, 54, 40) && !inRect(x, y, 19, 18, 49, 35);
    const handle = inRect(x, y, 6, 12, 16, 16);
    return basket || handle || disk(x, y, 22, 50, 5) || disk(x, y, 46, 50, 5);
  },
  mine: (x, y) => ring(x, y, 32, 22, 12, 5) || (y >= 38 && y <= 56 && ring(x, y, 32, 62, 24, 5)),
};
const colors = { off: [0x99, 0x99, 0x99], on: [0xfa, 0x41, 0x26] };
fs.mkdirSync(out, { recursive: true });
for (const [name, fn] of Object.entries(shapes)) {
  for (const [suffix, rgb] of [['', colors.off], ['-on', colors.on]]) {
    const png = new PNG({ width: S, height: S });
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
      const i = (y * S + x) * 4;
      const on = fn(x + 0.5, y + 0.5);
      png.data[i] = rgb[0]; png.data[i + 1] = rgb[1]; png.data[i + 2] = rgb[2]; png.data[i + 3] = on ? 255 : 0;
    }
    fs.writeFileSync(path.join(out, `${name}${suffix}.png`), PNG.sync.write(png));
  }
}
console.log('tab icons written to', out);
