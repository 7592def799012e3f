import { PropsWithChildren } from 'react';
import Taro, { useLaunch, useDidShow } from '@tarojs/taro';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.css';
import { useUser } from './stores/user';
import { captureBinding, bindingReady } from './services/binding';
import { useDist } from './stores/dist';

type LaunchOpts = { query?: Record<string, unknown>; scene?: number } | undefined;

function App({ children }: PropsWithChildren) {
  useLaunch((opts: LaunchOpts) => {
    if (process.env.TARO_ENV === 'weapp') {
      Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV || undefined, traceUser: true });
    }
    captureBinding(opts?.query, opts?.scene);
    void useUser.getState().login().then(() => { if (useUser.getState().openid) { bindingReady(); void useDist.getState().load(useUser.getState().openid); } });
  });
  useDidShow((opts: LaunchOpts) => { captureBinding(opts?.query, opts?.scene); });
  return children;
}

export default App;
