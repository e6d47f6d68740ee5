/**
 * The local grid worker page (infra/local/grid-worker-simulator.ts serves it at /_local/wecom):
 * choose one of the demo's grid workers, forward an appeal to the civicloop app as WeChat Work
 * would (a text, a location, a photo), read the app messages the worker received (the tracking
 * code to post in the group, status relays, notifications), and confirm an enterprise mass-send
 * to the worker's group as the owner does in the app. A developer tool that never ships to AWS,
 * so it relies on JavaScript: its script and stylesheet are a browser page of their own
 * (shared/web/grid-worker/, built by page-assets.ts like the resident and console pages).
 */
import { gridWorkerTexts } from './grid-worker/grid-worker-config.ts';
import { escapeHtml, jsonForScript } from './html.ts';
import { loadPageAssets, PAGE_GLOBAL } from './page-assets.ts';

export interface GridWorkerPageInput {
  /** The workers who can be played: the demo's grid workers, the first preselected. */
  workers: ReadonlyArray<{ userId: string; gridId: string; name: string }>;
}

export function renderGridWorkerPage(input: GridWorkerPageInput): string {
  const assets = loadPageAssets('grid-worker');
  const options = input.workers
    .map(
      (w) =>
        `<option value="${escapeHtml(w.userId)}">${escapeHtml(w.name)} · ${escapeHtml(w.userId)}</option>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>网格员（政务微信）· Grid worker in WeChat Work — civicloop (local)</title>
<style>${assets.css}</style>
</head>
<body>
<main class="wrap">
  <h1>网格员（政务微信）· Grid worker in WeChat Work</h1>
  <p class="muted">本地开发用：消息按平台的方式签名加密后发到本系统的 /api/wecom/callback；应用消息来自本地政务微信模拟器。 Local only: messages are signed and encrypted as the platform does and posted to this runtime's /api/wecom/callback; app messages come from the local WeChat Work simulator.</p>
  <section class="card" aria-labelledby="who-title">
    <h2 id="who-title">扮演 · Playing</h2>
    <label for="worker">网格员 · Grid worker</label>
    <select id="worker" name="worker">${options}</select>
  </section>
  <section class="card" aria-labelledby="appeal-title">
    <h2 id="appeal-title">转发群众诉求 · Forward an appeal</h2>
    <form id="text-form">
      <label for="content">文字 · Text</label>
      <textarea id="content" name="content" maxlength="2048" placeholder="例如：康宁社区3号楼下水道堵了"></textarea>
      <button type="submit" id="send-text">发送文字 · Send text</button>
    </form>
    <form id="location-form">
      <fieldset>
        <legend>位置 · Location</legend>
        <div class="coords">
          <div><label for="lat">纬度 · Latitude</label><input id="lat" name="lat" inputmode="decimal" value="37.19"></div>
          <div><label for="lng">经度 · Longitude</label><input id="lng" name="lng" inputmode="decimal" value="112.18"></div>
        </div>
        <label for="label">地点名称 · Place</label>
        <input id="label" name="label" maxlength="200" placeholder="例如：康宁街与顺城路口">
        <button type="submit" id="send-location">发送位置 · Send location</button>
      </fieldset>
    </form>
    <form id="photo-form">
      <label for="photo">照片 · Photo</label>
      <input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
      <button type="submit" id="send-photo">发送照片 · Send photo</button>
    </form>
    <div class="status" id="status" role="status" aria-live="polite"></div>
  </section>
  <section class="card" aria-labelledby="inbox-title">
    <h2 id="inbox-title">收到的应用消息 · App messages received</h2>
    <ul class="list" id="inbox" aria-live="polite"></ul>
  </section>
  <section class="card" aria-labelledby="mass-title">
    <h2 id="mass-title">待确认的群发 · Mass-sends to confirm</h2>
    <ul class="list" id="mass-sends"></ul>
  </section>
  <section class="card" aria-labelledby="sent-title">
    <h2 id="sent-title">已发送 · Sent to the app</h2>
    <ul class="list" id="sent"></ul>
  </section>
</main>
<script>${assets.script}
${PAGE_GLOBAL}.start(${jsonForScript(gridWorkerTexts)});</script>
</body>
</html>`;
}
