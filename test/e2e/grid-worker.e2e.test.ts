/**
 * The local grid worker page in Chromium, against the whole local runtime: a grid worker's appeal
 * typed on the page is sealed as the platform seals it, accepted by the runtime's own WeChat Work
 * callback, and the tracking code comes back as an app message on the page; a photo is forwarded
 * the same way; a mass-send waiting for the worker is confirmed from the page and its group sent.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { browserSession } from '../support/browser-session.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';

const SCREENSHOT = '/tmp/grid-worker.png';
const WORKER = 'gw-chengdong-kangning-g2';
const GROUP = 'wr-chengdong-kangning-g2';

const { started, newPage, pageErrors } = browserSession();

/** A mass-send to the worker's group, created as the planner creates it (add_msg_template). */
async function massSendWaitingFor(rt: LocalRuntime): Promise<string> {
  const sim = rt.wecom;
  if (!sim) throw new Error('no WeChat Work simulator');
  const token = z.object({ access_token: z.string() }).parse(
    await (
      await fetch(
        `${sim.endpoint}/cgi-bin/gettoken?${new URLSearchParams({
          corpid: rt.secrets.value('wecomCorpId'),
          corpsecret: rt.secrets.value('wecomAppSecret'),
        })}`,
      )
    ).json(),
  ).access_token;
  const created = await fetch(
    `${sim.endpoint}/cgi-bin/externalcontact/add_msg_template?access_token=${token}`,
    {
      method: 'POST',
      body: JSON.stringify({
        chat_type: 'group',
        sender: WORKER,
        chat_id_list: [GROUP],
        text: { content: '【反诈提醒】公安机关不会要求转账到安全账户。' },
      }),
    },
  );
  return z.object({ msgid: z.string() }).parse(await created.json()).msgid;
}

describe('the grid worker page in a browser', () => {
  it('sends an appeal and shows the tracking code the app sent back', async () => {
    const { runtime } = started();
    const page = await newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${runtime.url}/_local/wecom`);
    await page.getByLabel('网格员 · Grid worker').selectOption(WORKER);
    await page.getByLabel('文字 · Text').fill('康宁社区2网格：路灯坏了一周了，晚上很黑');
    await page.getByRole('button', { name: '发送文字 · Send text' }).click();

    const reply = page.locator('#inbox li', { hasText: '查询码' });
    await reply.waitFor({ timeout: 30_000 });
    const code = /查询码([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})/.exec((await reply.textContent()) ?? '')?.[1];
    expect(code).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    await expect.poll(() => page.textContent('#status')).toContain('Delivered to the app');
    expect(await page.locator('#sent li').first().textContent()).toContain('路灯坏了一周了');
    // The same code is on the public status: the appeal became a case.
    const status = await fetch(`${runtime.url}/api/reports/${(code ?? '').replaceAll('-', '')}`);
    expect(status.status).toBe(200);

    await page.getByLabel('照片 · Photo').setInputFiles({
      name: 'street-light.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(jpegWithGps()),
    });
    await page.getByRole('button', { name: '发送照片 · Send photo' }).click();
    await expect.poll(() => page.locator('#sent li').first().textContent()).toContain('accepted');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("confirms a mass-send waiting in the worker's app, and its group is sent", async () => {
    const { runtime } = started();
    const msgid = await massSendWaitingFor(runtime);
    const page = await newPage();
    await page.goto(`${runtime.url}/_local/wecom`);
    await page.getByLabel('网格员 · Grid worker').selectOption(WORKER);
    const task = page.locator(`#mass-sends li[data-msgid="${msgid}"]`);
    await task.getByRole('button', { name: '确认发送 · Confirm sending' }).click();
    await expect.poll(() => task.textContent()).toContain(`${GROUP}: sent`);
    expect(runtime.wecom?.massSends.find((t) => t.msgid === msgid)?.status).toBe('sent');
  });

  it('answers 400 naming the field for an empty appeal, and 404 for someone who is no demo grid worker', async () => {
    const { runtime } = started();
    const empty = await fetch(`${runtime.url}/_local/wecom/send`, {
      method: 'POST',
      body: JSON.stringify({ userId: WORKER, kind: 'text', content: ' ' }),
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toContain('content');
    const stranger = await fetch(`${runtime.url}/_local/wecom/state?user=someone-else`);
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toMatchObject({ code: 'unknown_worker' });
  });
});
