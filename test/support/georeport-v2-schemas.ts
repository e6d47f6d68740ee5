/**
 * JSON Schemas of GeoReport v2's JSON answers, written from the specification text
 * (wiki.open311.org/GeoReport_v2, open311/open311.github.io GeoReport_v2/index.md): no community
 * schema for the responses is published that we could find. Each lists the spec's fields with
 * their types and allowed values and refuses any other field (`additionalProperties: false`), so
 * an answer carrying a field the spec does not define — a phone, a name, an email — fails.
 * Required are the fields the spec does not mark "may not be returned"; `description`, `address`,
 * `lat`/`long` are optional here as the spec allows servers to omit them (we do, deliberately).
 */
import { Ajv } from 'ajv';

/** W3C NOTE-datetime with seconds and the time zone the spec requires. */
const w3Datetime = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;

const text = { type: 'string' } as const;

export const serviceListSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['service_code', 'service_name', 'metadata', 'type'],
    properties: {
      service_code: text,
      service_name: text,
      description: text,
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: text,
      group: text,
    },
  },
} as const;

export const serviceDefinitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['service_code', 'attributes'],
  properties: {
    service_code: text,
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['variable', 'code', 'datatype', 'required', 'order', 'description'],
        properties: {
          variable: { type: 'boolean' },
          code: text,
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: { type: ['string', 'null'] },
          order: { type: 'integer', minimum: 1 },
          description: text,
          values: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key', 'name'],
              properties: { key: { type: ['string', 'number'] }, name: text },
            },
          },
        },
      },
    },
  },
} as const;

/** POST requests: a service_request_id or a token per request, with a notice and account id optional. */
export const postResponseSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }],
    properties: {
      service_request_id: text,
      token: text,
      service_notice: text,
      account_id: text,
    },
  },
} as const;

export const serviceRequestsSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: [
      'service_request_id',
      'status',
      'service_name',
      'service_code',
      'requested_datetime',
      'updated_datetime',
    ],
    properties: {
      service_request_id: text,
      status: { enum: ['open', 'closed'] },
      status_notes: text,
      service_name: text,
      service_code: text,
      description: { type: 'string', maxLength: 4000 },
      agency_responsible: text,
      service_notice: text,
      requested_datetime: w3Datetime,
      updated_datetime: w3Datetime,
      expected_datetime: w3Datetime,
      address: text,
      address_id: text,
      zipcode: text,
      lat: { type: 'number', minimum: -90, maximum: 90 },
      long: { type: 'number', minimum: -180, maximum: 180 },
      media_url: text,
    },
  },
} as const;

export const errorsSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'description'],
    properties: {
      code: { type: 'integer', minimum: 400, maximum: 599 },
      description: { type: 'string', minLength: 1 },
    },
  },
} as const;

/** Service discovery (wiki.open311.org/Service_discovery). */
export const discoverySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['changeset', 'contact', 'endpoints'],
  properties: {
    changeset: w3Datetime,
    contact: text,
    key_service: text,
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        properties: {
          specification: text,
          url: { type: 'string', pattern: '^https?://' },
          changeset: w3Datetime,
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', items: text, minItems: 1 },
        },
      },
    },
  },
} as const;

// Strict, but with type unions (`key` is a string or a number) and `required` inside `anyOf`.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });

/** The schema's validator; its errors as text for an assertion message. */
export function georeportValidator(schema: object): (value: unknown) => string[] {
  const validate = ajv.compile(schema);
  return (value) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
