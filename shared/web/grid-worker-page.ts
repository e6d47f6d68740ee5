/**
 * The local grid worker page (infra/local/grid-worker-simulator.ts serves it at /_local/wecom):
 * choose one of the demo's grid workers, forward an appeal to the civicloop app as WeChat Work
 * would (a text, a location, a photo), read the app messages the worker received (the tracking
 * code to post in the group, status relays, notifications), and confirm an enterprise mass-send
 * to the worker's group as the owner does in the app. A developer tool that never ships to AWS,
 * so it relies on JavaScript; everything is inline like the phone simulator's page, and every
 * value from the server is put in the page with textContent, never as markup.
 */
import { escapeHtml, jsonForScript } from './html.ts';

export interface GridWorkerPageInput {
  /** The workers who can be played: the demo's grid workers, the first preselected. */
  workers: ReadonlyArray<{ userId: string; gridId: string; name: string }>;
}

const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#eef1f4;color:#1b1f24}
.wrap{max-width:720px;margin:0 auto;padding:16px}
h1{font-size:1.2rem;margin:0 0 4px}
h2{font-size:1rem;margin:0 0 8px}
.muted{color:#5b6570;font-size:.875rem;margin:0 0 12px}
.card{background:#fff;border:1px solid #cfd6dd;border-radius:12px;padding:16px;margin:0 0 12px}
label{display:block;font-weight:600;font-size:.875rem;margin:8px 0 4px}
input,textarea,select{width:100%;font:inherit;padding:8px 10px;border:1px solid #9aa5b1;border-radius:8px}
textarea{min-height:4.5em;resize:vertical}
fieldset{border:1px solid #cfd6dd;border-radius:8px;margin:8px 0;padding:8px 12px}
legend{font-weight:600;font-size:.875rem;padding:0 4px}
.coords{display:flex;gap:8px}
.coords div{flex:1}
button{font:inherit;font-weight:600;padding:8px 14px;border:0;border-radius:8px;background:#067d3f;color:#fff;cursor:pointer;margin-top:8px}
button:disabled{opacity:.5;cursor:default}
button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #0b6bcb;outline-offset:2px}
ul.list{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
ul.list li{background:#f6f8fa;border-radius:8px;padding:8px 12px;white-space:pre-wrap;word-break:break-word}
ul.list li.refused{background:#fdecea}
.meta{display:block;font-size:.75rem;color:#5b6570}
.status{min-height:1.5em;font-size:.875rem;color:#5b6570}
.status.error{color:#b42318}
`;

const SCRIPT = `
(function(){
  var cfg = JSON.parse(document.getElementById('config').textContent);
  var worker = document.getElementById('worker');
  var status = document.getElementById('status');
  var lastRendered = '';
  function say(text, isError){ status.textContent = text; status.className = isError ? 'status error' : 'status'; }
  function item(text, meta, cls){
    var li = document.createElement('li'); if (cls) li.className = cls;
    li.appendChild(document.createTextNode(text));
    var m = document.createElement('span'); m.className = 'meta'; m.textContent = meta; li.appendChild(m);
    return li;
  }
  function fillList(id, items, emptyText){
    var ul = document.getElementById(id); ul.textContent = '';
    if (items.length === 0) { var li = document.createElement('li'); li.textContent = emptyText; ul.appendChild(li); return; }
    items.forEach(function(li){ ul.appendChild(li); });
  }
  function time(at){ return new Date(at).toLocaleString(); }
  function render(state){
    var key = JSON.stringify(state);
    if (key === lastRendered) return;
    lastRendered = key;
    fillList('sent', state.appeals.slice().reverse().map(function(a){
      return item(a.summary, time(a.at) + ' · ' + (a.status === 200 ? cfg.accepted : cfg.refused + ' ' + a.status), a.status === 200 ? '' : 'refused');
    }), cfg.none);
    fillList('inbox', state.messages.slice().reverse().map(function(m){
      var li = item(m.content, time(m.sentAt));
      if (m.card && /^https?:/.test(m.card.url)) {
        var a = document.createElement('a'); a.href = m.card.url; a.textContent = m.card.btntxt || cfg.open; a.target = '_blank'; a.rel = 'noopener';
        li.appendChild(a);
      }
      return li;
    }), cfg.none);
    fillList('mass-sends', state.massSends.slice().reverse().map(function(t){
      var li = item(t.text, time(t.createdAt) + ' · ' + t.groups.length + ' ' + cfg.groups + ' · ' + (t.status === 'waiting' ? cfg.waiting : cfg.sentStatus + ' (' + t.groups.map(function(g){ return g.chatId + ': ' + g.status; }).join(', ') + ')'));
      li.setAttribute('data-msgid', t.msgid);
      if (t.status === 'waiting') {
        var b = document.createElement('button'); b.type = 'button'; b.className = 'confirm'; b.textContent = cfg.confirm;
        b.addEventListener('click', function(){ confirmSend(t.msgid, b); });
        li.appendChild(b);
      }
      return li;
    }), cfg.none);
  }
  function refresh(){
    return fetch('/_local/wecom/state?user=' + encodeURIComponent(worker.value), { cache: 'no-store' })
      .then(function(r){ return r.ok ? r.json() : null; })
      .then(function(data){ if (data) render(data); })
      .catch(function(){});
  }
  function post(path, body){
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function(r){ return r.json().then(function(data){ return { ok: r.ok, data: data }; }); });
  }
  function explain(data){
    if (data && data.issues) return data.issues.map(function(i){ return (i.path || 'body') + ': ' + i.message; }).join('; ');
    if (data && data.reason) return cfg.refused + ' ' + data.status + ' ' + data.reason;
    return (data && data.message) || cfg.failed;
  }
  function send(body, form){
    var button = form.querySelector('button'); button.disabled = true; say(cfg.sending, false);
    body.userId = worker.value;
    return post('/_local/wecom/send', body)
      .then(function(res){ if (res.ok) { form.reset(); say(cfg.delivered, false); } else say(explain(res.data), true); return refresh(); })
      .catch(function(){ say(cfg.failed, true); })
      .then(function(){ button.disabled = false; });
  }
  function confirmSend(msgid, button){
    button.disabled = true;
    post('/_local/wecom/confirm', { userId: worker.value, msgid: msgid })
      .then(function(res){ say(res.ok ? cfg.confirmed : explain(res.data), !res.ok); return refresh(); })
      .catch(function(){ say(cfg.failed, true); button.disabled = false; });
  }
  document.getElementById('text-form').addEventListener('submit', function(e){
    e.preventDefault(); send({ kind: 'text', content: document.getElementById('content').value }, e.target);
  });
  document.getElementById('location-form').addEventListener('submit', function(e){
    e.preventDefault();
    send({ kind: 'location', lat: document.getElementById('lat').value, lng: document.getElementById('lng').value, label: document.getElementById('label').value }, e.target);
  });
  document.getElementById('photo-form').addEventListener('submit', function(e){
    e.preventDefault();
    var file = document.getElementById('photo').files[0];
    if (!file) { say(cfg.choosePhoto, true); return; }
    var reader = new FileReader();
    reader.onload = function(){ send({ kind: 'image', contentType: file.type, photo: String(reader.result).replace(/^data:[^,]*,/, '') }, e.target); };
    reader.onerror = function(){ say(cfg.failed, true); };
    reader.readAsDataURL(file);
  });
  worker.addEventListener('change', function(){ lastRendered = ''; say('', false); refresh(); });
  refresh(); setInterval(refresh, 1500);
})();
`;

export function renderGridWorkerPage(input: GridWorkerPageInput): string {
  const config = {
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
    confirm: '确认发送 · Confirm sending',
    confirmed: '已确认发送 · Sent to the groups',
    choosePhoto: '请选择照片 · Choose a photo',
  };
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
<style>${STYLES}</style>
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
<script type="application/json" id="config">${jsonForScript(config)}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
