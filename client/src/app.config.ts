const isH5 = process.env.TARO_ENV === 'h5';

const pages = [
  'pages/index/index',
  'pages/category/index',
  'pages/cart/index',
  'pages/mine/index',
  'pages/search/index',
  'pages/product/index',
  'pages/checkout/index',
  'pages/pay-result/index',
  'pages/orders/index',
  'pages/order-detail/index',
  'pages/aftersale-apply/index',
  'pages/aftersale-detail/index',
  'pages/address-list/index',
  'pages/address-edit/index',
  // Dev sign-in exists only in the h5 demo build; the weapp build never registers it.
  ...(isH5 ? ['pages/dev-signin/index'] : []),
];

export default defineAppConfig({
  pages,
  subPackages: [
    {
      root: 'subpkg-admin',
      pages: [
        'index', 'orders/index', 'order-detail/index', 'aftersales/index', 'aftersale-detail/index',
        'dist-settings/index', 'distributors/index', 'settlements/index', 'settlement-detail/index', 'withdrawals/index',
      ],
    },
    {
      // Distributor centre (issue 3): kept out of the main package.
      root: 'subpkg-dist',
      pages: [
        'index', 'orders/index', 'buyers/index', 'team/index', 'commissions/index', 'ranking/index',
        'withdraw/index', 'poster/index', 'invite/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '分销商城',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#fa4126',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: 'pages/category/index', text: '分类', iconPath: 'assets/tab/category.png', selectedIconPath: 'assets/tab/category-on.png' },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-on.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-on.png' },
    ],
  },
});
