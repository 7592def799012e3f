export default definePageConfig({ navigationBarTitleText: '我的邀请码', enableShareAppMessage: true });
