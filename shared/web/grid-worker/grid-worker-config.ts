/**
 * What the local grid worker page's server gives its browser code: the page's words, and the
 * shape of `GET /_local/wecom/state` (infra/local/grid-worker-simulator.ts). Types and words
 * only, so the browser bundle carries no server code.
 */

export interface GridWorkerTexts {
  none: string;
  sending: string;
  delivered: string;
  failed: string;
  accepted: string;
  refused: string;
  open: string;
  groups: string;
  waiting: string;
  sentStatus: string;
  cancelledStatus: string;
  confirm: string;
  confirmed: string;
  choosePhoto: string;
}

export const gridWorkerTexts: GridWorkerTexts = {
  none: '暂无 · None yet',
  sending: '发送中… · Sending…',
  delivered: '已送达应用 · Delivered to the app',
  failed: '发送失败 · Sending failed',
  accepted: '已受理 · accepted',
  refused: '被拒绝 · refused',
  open: '打开 · Open',
  groups: '个群 · groups',
  waiting: '待确认 · waiting for you',
  sentStatus: '已发送 · sent',
  cancelledStatus: '已取消 · cancelled',
  confirm: '确认发送 · Confirm sending',
  confirmed: '已确认发送 · Sent to the groups',
  choosePhoto: '请选择照片 · Choose a photo',
};

/** One worker's state as the page polls it. */
export interface GridWorkerState {
  appeals: { summary: string; at: string; status: number }[];
  messages: { content: string; sentAt: string; card?: { url: string; btntxt?: string } }[];
  massSends: {
    msgid: string;
    text: string;
    createdAt: string;
    status: 'waiting' | 'sent' | 'cancelled';
    groups: { chatId: string; status: string }[];
  }[];
}
