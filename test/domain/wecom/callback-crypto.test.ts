/**
 * The callback crypto against WeChat Work's own published sample (WXBizMsgCrypt's Sample and the
 * "加解密方案说明" page: corp id wx5823bf96d3bd56c7, token QDG6eK, its EncodingAESKey, the URL
 * verification's echostr and the encrypted "hello" message), byte for byte in both directions.
 */
import { describe, expect, it } from 'vitest';
import {
  CallbackCryptoError,
  callbackSignature,
  decryptCallbackMessage,
  encryptCallbackMessage,
  openCallback,
} from '../../../shared/domain/wecom/callback-crypto.ts';
import { parseAppMessage, parseCallbackEnvelope } from '../../../shared/domain/wecom/callback-message.ts';

const keys = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiverId: 'wx5823bf96d3bd56c7',
};

// URL verification (GET), from the sample.
const verify = {
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};

// A received message (POST), from the sample.
const post = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt></xml>',
};
const samplePlaintext =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>';

describe('WeChat Work callback crypto (the platform sample)', () => {
  it('verifies the sample URL verification and decrypts its echostr', () => {
    expect(callbackSignature(keys.token, verify.timestamp, verify.nonce, verify.echostr)).toBe(
      verify.signature,
    );
    expect(openCallback(verify, verify.echostr, keys).message).toBe('1616140317555161061');
  });

  it('verifies and decrypts the sample message to its published plaintext', () => {
    const { Encrypt } = parseCallbackEnvelope(post.body);
    const opened = openCallback(post, Encrypt, keys);
    expect(opened.message).toBe(samplePlaintext);
    const parsed = parseAppMessage(opened.message);
    expect(parsed).toEqual({
      kind: 'message',
      message: {
        ToUserName: 'wx5823bf96d3bd56c7',
        FromUserName: 'mycreate',
        CreateTime: '1409659813',
        MsgType: 'text',
        Content: 'hello',
        MsgId: '4561255354251345929',
        AgentID: '218',
      },
    });
  });

  it('encrypts the sample plaintext, with the sample random bytes, to the sample ciphertext byte for byte', () => {
    const { Encrypt } = parseCallbackEnvelope(post.body);
    const { random } = decryptCallbackMessage(Encrypt, keys);
    expect(encryptCallbackMessage(samplePlaintext, keys, random)).toBe(Encrypt);
    const echo = decryptCallbackMessage(verify.echostr, keys);
    expect(encryptCallbackMessage('1616140317555161061', keys, echo.random)).toBe(verify.echostr);
  });

  it('pads to 32-byte blocks: a plaintext of exactly 32 bytes gains a whole block of 32', () => {
    // 16 random + 4 length + 12 message + 0 receiver = 32 bytes: WeChat adds 32 bytes of 0x20.
    const encrypted = encryptCallbackMessage('twelve bytes', { ...keys, receiverId: '' }, Buffer.alloc(16));
    expect(Buffer.from(encrypted, 'base64')).toHaveLength(64);
    expect(decryptCallbackMessage(encrypted, { ...keys, receiverId: '' }).message).toBe('twelve bytes');
  });

  it('round-trips Chinese text, whose length counts bytes, not characters', () => {
    const message = '网格员转来：小区路灯坏了三天';
    expect(decryptCallbackMessage(encryptCallbackMessage(message, keys), keys).message).toBe(message);
  });

  it('refuses a changed signature with WXBizMsgCrypt code -40001', () => {
    const bad = { ...verify, signature: verify.signature.replace('5c', '6c') };
    expect(() => openCallback(bad, verify.echostr, keys)).toThrow(
      expect.objectContaining({ failure: { reason: 'bad_signature', code: -40001 } }),
    );
  });

  it('refuses a message meant for another corp (-40005)', () => {
    expect(() => openCallback(verify, verify.echostr, { ...keys, receiverId: 'ww0000000000000000' })).toThrow(
      expect.objectContaining({ failure: { reason: 'wrong_receiver', code: -40005 } }),
    );
  });

  it('refuses text encrypted with another key (bad padding, -40008) and ciphertext of no whole block (-40007)', () => {
    const other = { ...keys, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
    expect(() => decryptCallbackMessage(verify.echostr, other)).toThrow(CallbackCryptoError);
    expect(() => decryptCallbackMessage('AAAA', keys)).toThrow(
      expect.objectContaining({ failure: { reason: 'undecryptable', code: -40007 } }),
    );
  });

  it('refuses an EncodingAESKey that is not 43 Base64 characters (-40004)', () => {
    expect(() => encryptCallbackMessage('x', { ...keys, encodingAesKey: 'short' })).toThrow(
      expect.objectContaining({ failure: { reason: 'bad_aes_key', code: -40004 } }),
    );
  });
});

describe('WeChat Work callback XML', () => {
  it('names the missing field of an envelope without Encrypt', () => {
    expect(() => parseCallbackEnvelope('<xml><ToUserName>x</ToUserName></xml>')).toThrow(/Encrypt/);
  });

  it('refuses XML that is not well-formed', () => {
    expect(() => parseCallbackEnvelope('<xml><ToUserName>x</xml>')).toThrow(/not well-formed/);
    expect(() => parseCallbackEnvelope('{"json":true}')).toThrow(/XML|xml/);
  });

  it('parses a location message into numbers and keeps a 19-digit MsgId exact', () => {
    const parsed = parseAppMessage(
      '<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>location</MsgType><Location_X>37.19</Location_X><Location_Y>112.18</Location_Y><Label>古城</Label><MsgId>9223372036854775807</MsgId><AgentID>1</AgentID></xml>',
    );
    expect(parsed).toMatchObject({
      kind: 'message',
      message: { MsgType: 'location', Location_X: 37.19, Location_Y: 112.18, MsgId: '9223372036854775807' },
    });
  });

  it('tells a voice message apart as unsupported, with its sender', () => {
    expect(
      parseAppMessage(
        '<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>voice</MsgType><MediaId>m</MediaId><MsgId>5</MsgId><AgentID>1</AgentID></xml>',
      ),
    ).toMatchObject({ kind: 'unsupported', msgType: 'voice', FromUserName: 'u', MsgId: '5' });
  });
});
