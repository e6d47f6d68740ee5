/**
 * The local phone simulator's page (infra/local/phone-simulator.ts serves it at /_local/phone):
 * pick a resident's number, type a text, send it to the system, and watch the conversation,
 * replies included, refreshed by polling. A developer tool that never ships to AWS, so it may
 * rely on JavaScript; everything is inline like the resident page, and every value from the
 * server is put in the page with textContent, never as markup.
 */
import { escapeHtml, jsonForScript } from './html.ts';

export interface PhoneSimulatorPageInput {
  /** The number residents text, shown as the conversation's other end. */
  systemNumber: string;
  /** Numbers offered with one click; the first is preselected. */
  presetNumbers?: string[];
}

const DEFAULT_NUMBERS = ['+8613800138000', '+8613900139000', '+8615000150000'];

const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#eef1f4;color:#1b1f24}
.wrap{max-width:420px;margin:0 auto;padding:16px}
h1{font-size:1.2rem;margin:0 0 4px}
.muted{color:#5b6570;font-size:.875rem;margin:0 0 12px}
.phone{background:#fff;border:1px solid #cfd6dd;border-radius:24px;padding:16px;box-shadow:0 2px 8px rgba(0,0,0,.06)}
label{display:block;font-weight:600;font-size:.875rem;margin:8px 0 4px}
input,textarea{width:100%;font:inherit;padding:8px 10px;border:1px solid #9aa5b1;border-radius:8px}
textarea{min-height:4.5em;resize:vertical}
.presets{display:flex;gap:6px;flex-wrap:wrap;margin-top:6px}
.presets button{font:inherit;font-size:.8rem;padding:2px 8px;border:1px solid #9aa5b1;border-radius:12px;background:#f6f8fa;cursor:pointer}
.thread{list-style:none;margin:12px 0;padding:8px;height:340px;overflow-y:auto;background:#f6f8fa;border-radius:12px;display:flex;flex-direction:column;gap:8px}
.thread li{max-width:85%;padding:8px 12px;border-radius:16px;white-space:pre-wrap;word-break:break-word}
.thread li.from-phone{align-self:flex-end;background:#0b6bcb;color:#fff;border-bottom-right-radius:4px}
.thread li.to-phone{align-self:flex-start;background:#e3e7eb;border-bottom-left-radius:4px}
.thread li.failed{background:#b42318}
.meta{display:block;font-size:.7rem;opacity:.8;margin-top:2px}
.row{display:flex;gap:8px;align-items:flex-end}
.row textarea{flex:1}
.send{font:inherit;font-weight:600;padding:10px 16px;border:0;border-radius:8px;background:#0b6bcb;color:#fff;cursor:pointer}
.send:disabled{opacity:.5;cursor:default}
.status{min-height:1.5em;font-size:.875rem;color:#5b6570}
.status.error{color:#b42318}
.empty{align-self:center;color:#5b6570;font-size:.875rem}
`;

const SCRIPT = `
(function(){
  var cfg = JSON.parse(document.getElementById('config').textContent);
  var number = document.getElementById('number');
  var body = document.getElementById('body');
  var thread = document.getElementById('thread');
  var status = document.getElementById('status');
  var counter = document.getElementById('counter');
  var form = document.getElementById('compose');
  var sendButton = document.getElementById('send');
  var lastRendered = '';
  function say(text, isError){ status.textContent = text; status.className = isError ? 'status error' : 'status'; }
  function isGsm(text){ return /^[A-Za-z0-9 @£$¥èéùìòÇ\\nØø\\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\\-.\\/:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\\\\\[~\\]|€\\f]*$/.test(text); }
  function countParts(text){
    if (isGsm(text)) { var s = text.replace(/[\\^{}\\\\\\[~\\]|€\\f]/g, 'xx').length; return { n: s, parts: s <= 160 ? 1 : Math.ceil(s / 153), enc: 'GSM-7' }; }
    var u = text.length; return { n: u, parts: u <= 70 ? 1 : Math.ceil(u / 67), enc: 'UCS-2' };
  }
  function updateCounter(){ var c = countParts(body.value); counter.textContent = c.n + ' · ' + c.enc + ' · ' + c.parts + (c.parts === 1 ? ' part' : ' parts'); }
  function render(messages){
    var key = JSON.stringify(messages);
    if (key === lastRendered) return;
    lastRendered = key;
    var atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    thread.textContent = '';
    if (messages.length === 0) {
      var empty = document.createElement('li'); empty.className = 'empty'; empty.textContent = cfg.emptyText; thread.appendChild(empty);
    }
    messages.forEach(function(m){
      var li = document.createElement('li');
      li.className = m.direction + (m.status === 'failed' ? ' failed' : '');
      li.appendChild(document.createTextNode(m.body));
      var meta = document.createElement('span'); meta.className = 'meta';
      meta.textContent = new Date(m.at).toLocaleTimeString() + ' · ' + m.parts + (m.parts === 1 ? ' part' : ' parts') + (m.status === 'failed' ? ' · failed' : '');
      li.appendChild(meta);
      thread.appendChild(li);
    });
    if (atBottom) thread.scrollTop = thread.scrollHeight;
  }
  function refresh(){
    var n = number.value.trim();
    if (!n) return Promise.resolve();
    return fetch('/_local/phone/messages?number=' + encodeURIComponent(n), { cache: 'no-store' })
      .then(function(r){ return r.ok ? r.json() : null; })
      .then(function(data){ if (data) render(data.messages); })
      .catch(function(){});
  }
  document.querySelectorAll('.presets button').forEach(function(b){
    b.addEventListener('click', function(){ number.value = b.getAttribute('data-number'); lastRendered = ''; refresh(); });
  });
  number.addEventListener('change', function(){ lastRendered = ''; refresh(); });
  body.addEventListener('input', updateCounter);
  body.addEventListener('keydown', function(e){ if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
  form.addEventListener('submit', function(e){
    e.preventDefault();
    sendButton.disabled = true; say(cfg.sendingText, false);
    fetch('/_local/phone/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: number.value.trim(), body: body.value }) })
      .then(function(r){ return r.json().then(function(data){ return { ok: r.ok, data: data }; }); })
      .then(function(res){
        if (res.ok) { body.value = ''; updateCounter(); say(cfg.sentText, false); }
        else if (res.data && res.data.issues) { say(res.data.issues.map(function(i){ return (i.path || 'body') + ': ' + i.message; }).join('; '), true); }
        else { say((res.data && res.data.message) || cfg.failedText, true); }
        return refresh();
      })
      .catch(function(){ say(cfg.failedText, true); })
      .then(function(){ sendButton.disabled = false; });
  });
  updateCounter(); refresh(); setInterval(refresh, 1500);
})();
`;

export function renderPhoneSimulatorPage(input: PhoneSimulatorPageInput): string {
  const numbers = input.presetNumbers?.length ? input.presetNumbers : DEFAULT_NUMBERS;
  const config = {
    emptyText: '还没有短信 · No messages yet',
    sendingText: '发送中… · Sending…',
    sentText: '已送达系统 · Delivered to the system',
    failedText: '发送失败 · Sending failed',
  };
  const presets = numbers
    .map((n) => `<button type="button" data-number="${escapeHtml(n)}">${escapeHtml(n)}</button>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>手机模拟器 · Phone simulator — civicloop (local)</title>
<style>${STYLES}</style>
</head>
<body>
<main class="wrap">
  <h1>手机模拟器 · Phone simulator</h1>
  <p class="muted">本地开发用：短信经 SNS 事件送到系统号码 <strong>${escapeHtml(input.systemNumber)}</strong>，回复来自本地发件箱。 Local only: texts reach ${escapeHtml(input.systemNumber)} as an SNS event; replies come from the local outbox.</p>
  <div class="phone">
    <label for="number">手机号码 · Phone number</label>
    <input id="number" name="number" type="tel" autocomplete="off" value="${escapeHtml(numbers[0] ?? '')}">
    <div class="presets">${presets}</div>
    <ul class="thread" id="thread" aria-live="polite" aria-label="Conversation"></ul>
    <form id="compose">
      <label for="body">短信 · Message</label>
      <div class="row">
        <textarea id="body" name="body" maxlength="1600" placeholder="例如：楼道灯坏了 / R"></textarea>
        <button class="send" id="send" type="submit">发送 · Send</button>
      </div>
      <div class="muted" id="counter"></div>
      <div class="status" id="status" role="status"></div>
    </form>
  </div>
</main>
<script type="application/json" id="config">${jsonForScript(config)}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
