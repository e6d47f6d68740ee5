/**
 * The XML of WeChat Work's app callbacks: the envelope the platform POSTs (ToUserName, Encrypt,
 * AgentID) and the decrypted message inside it (text, location, image; events are recognised and
 * ignored). Parsed with fast-xml-parser (validating, every value kept as a string: a MsgId is a
 * 64-bit number no JavaScript number holds) and checked with zod, so a malformed body is refused
 * with the field named and nothing of its content.
 */
import { XMLParser } from 'fast-xml-parser';
import * as z from '../../schema.ts';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
});

/** Thrown for a body that is not the XML the protocol defines; names the field, never its value. */
export class CallbackXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackXmlError';
  }
}

function xmlRoot(xml: string): unknown {
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch {
    throw new CallbackXmlError('the body is not well-formed XML');
  }
  const root = z.object({ xml: z.record(z.string(), z.unknown()) }).safeParse(parsed);
  if (!root.success) throw new CallbackXmlError('the body has no <xml> root element');
  return root.data.xml;
}

function parseWith<T extends z.core.$ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = z.safeParse(schema, value);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new CallbackXmlError(`${what}: bad or missing ${fields.join(', ')}`);
  }
  return result.data;
}

const Text = z.string().check(z.minLength(1));

export const CallbackEnvelope = z.object({
  ToUserName: Text,
  Encrypt: z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be Base64')),
  AgentID: z.optional(z.string()),
});
export type CallbackEnvelope = z.infer<typeof CallbackEnvelope>;

/** The POSTed envelope; the Encrypt in it is what the signature covers. */
export const parseCallbackEnvelope = (xml: string): CallbackEnvelope =>
  parseWith(CallbackEnvelope, xmlRoot(xml), 'The callback envelope');

const Common = {
  ToUserName: Text,
  /** The sender's WeChat Work user id (a grid worker). */
  FromUserName: Text,
  CreateTime: z.string().check(z.regex(/^\d{1,12}$/, 'must be seconds since 1970')),
  AgentID: z.string().check(z.regex(/^\d{1,12}$/, 'must be the app id')),
};
const MsgId = z.string().check(z.regex(/^\d{1,24}$/, 'must be the message id'));
const Coordinate = z.pipe(
  z.string().check(z.regex(/^-?\d{1,3}(\.\d+)?$/, 'must be a coordinate')),
  z.transform(Number),
);

export const AppMessage = z.discriminatedUnion('MsgType', [
  z.object({ ...Common, MsgType: z.literal('text'), MsgId, Content: Text }),
  z.object({
    ...Common,
    MsgType: z.literal('location'),
    MsgId,
    Location_X: z.pipe(Coordinate, z.number().check(z.minimum(-90), z.maximum(90))),
    Location_Y: z.pipe(Coordinate, z.number().check(z.minimum(-180), z.maximum(180))),
    Scale: z.optional(z.string()),
    Label: z.optional(z.string()),
  }),
  z.object({ ...Common, MsgType: z.literal('image'), MsgId, PicUrl: z.optional(z.string()), MediaId: Text }),
  z.object({ ...Common, MsgType: z.literal('event'), Event: Text }),
]);
export type AppMessage = z.infer<typeof AppMessage>;

/**
 * A message the app accepts as its own: a text, location, image or event. Other kinds (voice,
 * video, file, link) are `unsupported` with the sender and id, so the worker can be told.
 */
export type ParsedAppMessage =
  | { kind: 'message'; message: AppMessage }
  | {
      kind: 'unsupported';
      msgType: string;
      FromUserName: string;
      MsgId?: string;
      CreateTime: string;
      AgentID: string;
    };

const Other = z.object({ ...Common, MsgType: Text, MsgId: z.optional(MsgId) });

export function parseAppMessage(xml: string): ParsedAppMessage {
  const root = xmlRoot(xml);
  const kind = z.object({ MsgType: z.string() }).safeParse(root);
  if (kind.success && !['text', 'location', 'image', 'event'].includes(kind.data.MsgType)) {
    const other = parseWith(Other, root, 'The message');
    return {
      kind: 'unsupported',
      msgType: other.MsgType,
      FromUserName: other.FromUserName,
      CreateTime: other.CreateTime,
      AgentID: other.AgentID,
      ...(other.MsgId ? { MsgId: other.MsgId } : {}),
    };
  }
  return { kind: 'message', message: parseWith(AppMessage, root, 'The message') };
}

const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** The envelope the platform POSTs: what the simulator sends and the tests sign. */
export const callbackEnvelopeXml = (toUserName: string, encrypted: string, agentId: string): string =>
  `<xml><ToUserName>${cdata(toUserName)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt><AgentID>${cdata(agentId)}</AgentID></xml>`;

/** A text message as the platform writes it (simulator, tests). */
export function textMessageXml(m: {
  corpId: string;
  fromUser: string;
  createTime: number;
  msgId: string;
  agentId: string;
  content: string;
}): string {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName><CreateTime>${m.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(m.content)}</Content><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`;
}

/** A location message as the platform writes it (simulator, tests). */
export function locationMessageXml(m: {
  corpId: string;
  fromUser: string;
  createTime: number;
  msgId: string;
  agentId: string;
  lat: number;
  lng: number;
  label: string;
}): string {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName><CreateTime>${m.createTime}</CreateTime><MsgType>${cdata('location')}</MsgType><Location_X>${m.lat}</Location_X><Location_Y>${m.lng}</Location_Y><Scale>15</Scale><Label>${cdata(m.label)}</Label><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`;
}

/** An image message as the platform writes it (simulator, tests): PicUrl and the media id. */
export function imageMessageXml(m: {
  corpId: string;
  fromUser: string;
  createTime: number;
  msgId: string;
  agentId: string;
  picUrl: string;
  mediaId: string;
}): string {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName><CreateTime>${m.createTime}</CreateTime><MsgType>${cdata('image')}</MsgType><PicUrl>${cdata(m.picUrl)}</PicUrl><MediaId>${cdata(m.mediaId)}</MediaId><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`;
}
