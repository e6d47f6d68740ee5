import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountPhoneSimulator } from '../../infra/local/phone-simulator.ts';
import { LocalOutbox } from '../../shared/adapters/local-outbox.ts';
import { parseAwsSnsEvent } from '../../shared/adapters/sms-gateways/aws.ts';
import { launchChromium } from '../support/browser.ts';

const SCREENSHOT = '/tmp/phone-simulator.png';

let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

describe('phone simulator in a browser', () => {
  beforeAll(async () => {
    const outbox = new LocalOutbox();
    const route = mountPhoneSimulator({
      outbox,
      deliverSns: async (event) => {
        for (const sms of parseAwsSnsEvent(event)) {
          await outbox.send({
            to: sms.from,
            body: `【平安县】已收到您的短信：${sms.body}`,
            purpose: 'reply',
            correlationId: sms.providerMessageId,
          });
        }
      },
    });
    const http = createServer(async (req, res) => {
      if (!(await route(req, res, new URL(req.url ?? '/', 'http://localhost')))) {
        res.writeHead(404);
        res.end();
      }
    });
    server = http;
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const address = http.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    const http = server;
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('sends a text and shows the reply', async () => {
    if (!browser) throw new Error('no browser');
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/_local/phone`);
    await page.locator('.presets button').nth(1).click();
    await expect.poll(() => page.inputValue('#number')).toBe('+8613900139000');
    await page.fill('#body', '楼道灯坏了');
    await expect.poll(() => page.textContent('#counter')).toContain('UCS-2');
    await page.click('#send');
    await page.locator('.thread li.to-phone').waitFor();
    const bubbles = await page.locator('.thread li').allTextContents();
    expect(bubbles[0]).toContain('楼道灯坏了');
    expect(bubbles[1]).toContain('【平安县】已收到您的短信：楼道灯坏了');
    expect(await page.inputValue('#body')).toBe('');
    await page.screenshot({ path: SCREENSHOT });

    await page.fill('#number', '12345');
    await page.fill('#body', 'hello');
    await page.click('#send');
    await expect.poll(() => page.textContent('#status')).toContain('from');
    expect(errors).toEqual([]);
  });
});
