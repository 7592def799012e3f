import { create } from 'zustand';
import { distMe, type DistMe } from '../services/distribution';
import { errorMessage } from '../services/cloud';

interface DistState {
  me: DistMe | null;
  /** whose record `me` is (the user can switch identity in the h5 demo) */
  owner: string;
  loading: boolean;
  error: string;
  load: (owner?: string) => Promise<DistMe | null>;
  set: (me: DistMe) => void;
  reset: () => void;
}

let seq = 0;

/** The signed-in user's distributor record (null until loaded); shared by 我的, the share handlers and the centre. */
export const useDist = create<DistState>((set, get) => ({
  me: null,
  owner: '',
  loading: false,
  error: '',
  load: async (owner) => {
    const mine = ++seq;
    set({ loading: true, error: '' });
    try {
      const me = await distMe();
      if (mine === seq) set({ me, loading: false, owner: owner ?? get().owner });
      return me;
    } catch (e) {
      if (mine === seq) set({ loading: false, error: errorMessage(e) });
      return null;
    }
  },
  set: (me) => set({ me }),
  reset: () => { seq++; set({ me: null, owner: '', loading: false, error: '' }); },
}));

/** The user's code when they are an active distributor, for share paths. */
export const activeCode = (me: DistMe | null): string => (me && me.isDistributor && me.status === 'active' ? me.code : '');
