import { create } from 'zustand';
import { login } from '../services/api';
import { errorMessage } from '../services/cloud';
import { useDist } from './dist';

interface UserState {
  openid: string;
  nickname: string;
  avatar: string;
  roles: string[];
  loaded: boolean;
  error: string;
  login: () => Promise<void>;
  isMerchant: () => boolean;
}

export const useUser = create<UserState>((set, get) => ({
  openid: '',
  nickname: '',
  avatar: '',
  roles: [],
  loaded: false,
  error: '',
  login: async () => {
    try {
      const r = await login();
      // Another identity (h5 dev sign-in): drop the previous user's distributor record.
      if (get().openid && get().openid !== r.openid) useDist.getState().reset();
      set({
        openid: r.openid,
        nickname: r.user?.nickname || '微信用户',
        avatar: r.user?.avatar || '',
        roles: Array.isArray(r.user?.roles) ? r.user.roles : [],
        loaded: true,
        error: '',
      });
    } catch (e) {
      set({ loaded: true, error: errorMessage(e) });
    }
  },
  isMerchant: () => get().roles.includes('merchant'),
}));
