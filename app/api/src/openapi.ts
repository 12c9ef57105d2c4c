// /openapi.json, generated from the zod schemas the routes validate with, so the document
// cannot drift from what the API accepts. test/openapi.test.ts checks it covers every route.
import { z } from 'zod';
import type { AuthConfig } from './auth/config';
import { idempotencyKeyPattern } from './idempotency/header';
import { keyLifetimeHours } from './idempotency/store';
import { tagConditionPattern } from './measurements/preconditions';
import { csvHeader, maxReportedErrors } from './measurements/csv';
import {
  exportQuery,
  listQuery,
  measurement,
  measurementInput,
  measurementPage,
  stats,
  statsQuery,
} from './measurements/schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function components(): Record<string, unknown> {
  const build = (io: 'input' | 'output', schemas: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
    const { schemas: out } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
    for (const schema of Object.values(out)) {
      delete schema.$schema;
      delete schema.$id;
    }
    return out;
  };
  return {
    ...build('input', { MeasurementInput: measurementInput }),
    ...build('output', { Measurement: measurement, MeasurementPage: measurementPage, Stats: stats }),
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        code: { type: 'string' },
        instance: { type: 'string' },
        requestId: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['message'],
            properties: { field: { type: 'string' }, line: { type: 'integer', minimum: 1 }, message: { type: 'string' } },
          },
        },
      },
    },
  };
}

function queryParameters(schema: z.ZodObject): unknown[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = z.toJSONSchema(field as z.ZodType, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
    delete json.$schema;
    const { description, ...rest } = json;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, schema: unknown, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
});
const etagHeader = { ETag: { description: 'Strong entity-tag of the version, e.g. "3", for If-Match', schema: { type: 'string' } } };
const lastModified = { 'Last-Modified': { description: 'updatedAt as an HTTP-date', schema: { type: 'string' } } };
// RFC 9110: If-Match = "*" / #entity-tag, entity-tag = [ W/ ] DQUOTE *etagc DQUOTE.
const entityTagList = tagConditionPattern;
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'The ETag from GET, e.g. "3" (strong comparison: a weak tag never matches), a list of them, or *',
  schema: { type: 'string', pattern: entityTagList },
};
const ifNoneMatch = (description: string) => ({ name: 'If-None-Match', in: 'header', required: false, description, schema: { type: 'string', pattern: entityTagList } });
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: `A quoted string unique to this request (IETF httpapi Idempotency-Key draft); a retry with the same key and body gets the first response, kept ${keyLifetimeHours} hours`,
  schema: { type: 'string', pattern: idempotencyKeyPattern },
};
const idempotencyResponses = {
  '409': problem('A request with this Idempotency-Key is still in progress'),
  '422': problem('The Idempotency-Key was used with another body'),
};
const jsonBody = { required: true, content: { 'application/json': { schema: ref('MeasurementInput') } } };
const csv = { description: `CSV with the header line ${csvHeader}`, content: { 'text/csv': { schema: { type: 'string' } } } };
const challengeHeader = {
  'WWW-Authenticate': { description: 'RFC 6750 Bearer challenge (realm, and error / error_description when a token was sent)', schema: { type: 'string' } },
};
const denied = (description: string) => ({ ...problem(description), headers: challengeHeader });
const authResponses = {
  '401': denied('No bearer token, or the token was refused (expired, wrong signature, issuer or audience, algorithm not allowed)'),
  '403': denied('The token is valid but its role may not do this (insufficient_scope)'),
};
const common = { '400': problem('Invalid request'), ...authResponses, '503': problem('Database or identity provider unavailable') };
const bearer = [{ bearerAuth: [] }];

/** `auth` fills in the issuer, audience and whether anonymous reads are allowed. */
export function openApiDocument(version: string, auth?: Pick<AuthConfig, 'issuer' | 'audience' | 'anonymousRead'>): object {
  // Reads: a token with the viewer (or editor) role; with ANONYMOUS_READ also none at all.
  const read = { security: auth?.anonymousRead ? [{}, ...bearer] : bearer };
  const write = { security: bearer, description: 'Needs the editor role.' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'EcoData API',
      version,
      description:
        'Environmental measurements over PostgreSQL. Every operation except `/` and `/openapi.json` needs an OAuth 2.0 bearer ' +
        'access token (a JWT from the OpenID provider, audience = this API): reads need the viewer role, changes the editor role.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: bearer,
    paths: {
      '/': { get: { operationId: 'serviceInfo', security: [], responses: { '200': json('Service name, version, environment', { type: 'object' }) } } },
      '/openapi.json': { get: { operationId: 'openapi', security: [], responses: { '200': json('This document', { type: 'object' }) } } },
      '/api/measurements': {
        get: {
          operationId: 'listMeasurements',
          ...read,
          parameters: queryParameters(listQuery),
          responses: { '200': json('One page, recordedAt then id order', ref('MeasurementPage')), ...common },
        },
        post: {
          ...write,
          operationId: 'createMeasurement',
          parameters: [idempotencyKey],
          requestBody: jsonBody,
          responses: {
            '201': json('Created', ref('Measurement'), { ...etagHeader, Location: { schema: { type: 'string' } } }),
            ...common,
            ...idempotencyResponses,
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
          },
        },
      },
      '/api/measurements/import': {
        post: {
          ...write,
          operationId: 'importMeasurements',
          parameters: [idempotencyKey],
          requestBody: { required: true, ...csv },
          responses: {
            '201': json('All rows imported', { type: 'object', required: ['imported'], properties: { imported: { type: 'integer' } } }),
            ...common,
            '409': idempotencyResponses['409'],
            '413': problem('File too large'),
            '415': problem('Not text/csv'),
            '422': problem(
              `Invalid rows (the first ${maxReportedErrors} errors with their lines, totalErrors counts all), not UTF-8, or a reused Idempotency-Key; nothing imported`,
            ),
          },
        },
      },
      '/api/measurements/export': {
        get: { operationId: 'exportMeasurements', ...read, parameters: queryParameters(exportQuery), responses: { '200': csv, ...common } },
      },
      '/api/measurements/{id}': {
        get: {
          operationId: 'getMeasurement',
          ...read,
          parameters: [idParameter, ifNoneMatch('ETags the client holds; 304 when one matches (weak comparison)')],
          responses: {
            '200': json('The measurement', ref('Measurement'), { ...etagHeader, ...lastModified }),
            '304': { description: 'Not modified: the ETag matches', headers: etagHeader },
            ...common,
            '404': problem('No such measurement'),
          },
        },
        put: {
          operationId: 'replaceMeasurement',
          ...write,
          parameters: [idParameter, ifMatch, ifNoneMatch('* makes the PUT fail with 412, as the measurement exists')],
          requestBody: jsonBody,
          responses: {
            '200': json('Replaced', ref('Measurement'), etagHeader),
            ...common,
            '404': problem('No such measurement'),
            '412': problem('Precondition failed (If-Match does not match, or If-None-Match: *); nothing changed'),
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
            '428': problem('If-Match missing'),
          },
        },
        delete: {
          operationId: 'deleteMeasurement',
          ...write,
          parameters: [idParameter, ifMatch],
          responses: {
            '204': { description: 'Deleted' },
            ...common,
            '404': problem('No such measurement'),
            '412': problem('If-Match does not match; nothing deleted'),
            '428': problem('If-Match missing'),
          },
        },
      },
      '/api/stats': {
        get: { operationId: 'stats', ...read, parameters: queryParameters(statsQuery), responses: { '200': json('Per station, kind and unit', ref('Stats')), ...common } },
      },
    },
    components: {
      schemas: components(),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `An access token from ${auth?.issuer ?? 'the OpenID provider'} for the audience ${auth?.audience ?? 'of this API'} (users: authorization code + PKCE; machines: client credentials)`,
        },
      },
    },
  };
}
