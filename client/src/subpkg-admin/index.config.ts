export default definePageConfig({ navigationBarTitleText: '商家工作台' });
