import path from 'path';
import { defineConfig } from '@tarojs/cli';

// designWidth: NutUI is designed on a 375 canvas, the app's own CSS on 750 (research/weapp-checks.md §1).
const designWidth = (input?: any): number => {
  const file: string = input?.file ?? '';
  return file.replace(/\\+/g, '/').indexOf('@nutui') > -1 ? 375 : 750;
};

export default defineConfig<'webpack5'>(async (merge, { mode }) => {
  // core/ (pure domain code, e.g. money formatting) lives outside the Taro project: compile it with babel too.
  const coreDir = path.resolve(__dirname, '..', '..', 'core');
  const base = {
    projectName: 'distribution-mall',
    date: '2026-11-26',
    designWidth,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {},
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      '@core': path.resolve(__dirname, '..', '..', 'core'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react' as const,
    compiler: 'webpack5' as const,
    cache: { enable: true },
    mini: {
      miniCssExtractPluginOption: { ignoreOrder: true },
      compile: { include: [coreDir] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      compile: { include: [coreDir] },
      staticDirectory: 'static',
      router: { mode: 'hash' as const },
      devServer: { host: '127.0.0.1', port: 10086 },
      // Taro splits only initial chunks, so every lazily loaded page chunk repeated the shared
      // components (~250 KB each). Split async chunks too.
      webpackChain(chain: any) {
        chain.optimization.merge({ splitChunks: { chunks: 'all' } });
      },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: { selectorBlackList: ['nut-'] } },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  void mode;
  return merge({}, base);
});
