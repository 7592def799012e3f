// Babel config for the Taro client (client/ re-exports this file).
// NutUI on-demand import: JS from dist/es/packages/<name>, CSS from its style/css entry
// (research/weapp-checks.md §1 — the English guide's libraryDirectory form fails on 3.0.20).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
        customStyleName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}/style/css`,
      },
      'nutui-react',
    ],
  ],
};
