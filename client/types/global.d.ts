/// <reference types="@tarojs/taro" />
declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';
declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | string;
    TARO_APP_CLOUD_ENV?: string;
    TARO_APP_API_BASE?: string;
    NODE_ENV: 'development' | 'production' | string;
  }
}
