export default definePageConfig({ navigationBarTitleText: '分销商管理' });
