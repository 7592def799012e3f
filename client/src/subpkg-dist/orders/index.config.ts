export default definePageConfig({ navigationBarTitleText: '推广订单' });
