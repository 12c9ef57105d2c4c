// /openapi.json, generated from the zod schemas the routes validate with, so the document
// cannot drift from what the API accepts. test/openapi.test.ts checks it covers every route.
import { z } from 'zod';
import { csvHeader } from './measurements/csv';
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
const etagHeader = { ETag: { description: 'Quoted version, for If-Match', schema: { type: 'string' } } };
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' } };
const ifMatch = (required: boolean) => ({
  name: 'If-Match',
  in: 'header',
  required,
  description: 'ETag from GET: "3", W/"3", a bare 3, or *',
  schema: { type: 'string' },
});
const jsonBody = { required: true, content: { 'application/json': { schema: ref('MeasurementInput') } } };
const csv = { description: `CSV with the header line ${csvHeader}`, content: { 'text/csv': { schema: { type: 'string' } } } };
const common = { '400': problem('Invalid request'), '503': problem('Database unavailable') };

export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'EcoData API', version, description: 'Environmental measurements over PostgreSQL.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      '/': { get: { operationId: 'serviceInfo', responses: { '200': json('Service name, version, environment', { type: 'object' }) } } },
      '/healthz': { get: { operationId: 'liveness', responses: { '200': json('Process is alive', { type: 'object' }) } } },
      '/readyz': {
        get: {
          operationId: 'readiness',
          responses: { '200': json('Database reachable, migrations applied', { type: 'object' }), '503': problem('Not ready') },
        },
      },
      '/metrics': {
        get: { operationId: 'metrics', responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
      },
      '/openapi.json': { get: { operationId: 'openapi', responses: { '200': json('This document', { type: 'object' }) } } },
      '/api/measurements': {
        get: {
          operationId: 'listMeasurements',
          parameters: queryParameters(listQuery),
          responses: { '200': json('One page, recordedAt then id order', ref('MeasurementPage')), ...common },
        },
        post: {
          operationId: 'createMeasurement',
          requestBody: jsonBody,
          responses: {
            '201': json('Created', ref('Measurement'), { ...etagHeader, Location: { schema: { type: 'string' } } }),
            ...common,
            '413': problem('Body too large'),
            '415': problem('Not application/json'),
          },
        },
      },
      '/api/measurements/import': {
        post: {
          operationId: 'importMeasurements',
          requestBody: { required: true, ...csv },
          responses: {
            '201': json('All rows imported', { type: 'object', required: ['imported'], properties: { imported: { type: 'integer' } } }),
            ...common,
            '413': problem('File too large'),
            '415': problem('Not text/csv'),
            '422': problem('Invalid rows (every one listed with its line); nothing imported'),
          },
        },
      },
      '/api/measurements/export': {
        get: { operationId: 'exportMeasurements', parameters: queryParameters(exportQuery), responses: { '200': csv, ...common } },
      },
      '/api/measurements/{id}': {
        get: {
          operationId: 'getMeasurement',
          parameters: [idParameter],
          responses: { '200': json('The measurement', ref('Measurement'), etagHeader), ...common, '404': problem('No such measurement') },
        },
        put: {
          operationId: 'replaceMeasurement',
          parameters: [idParameter, ifMatch(true)],
          requestBody: jsonBody,
          responses: {
            '200': json('Replaced', ref('Measurement'), etagHeader),
            ...common,
            '404': problem('No such measurement'),
            '412': problem('Stale If-Match; nothing changed'),
            '428': problem('If-Match missing'),
          },
        },
        delete: {
          operationId: 'deleteMeasurement',
          parameters: [idParameter, ifMatch(false)],
          responses: { '204': { description: 'Deleted' }, ...common, '404': problem('No such measurement'), '412': problem('Stale If-Match') },
        },
      },
      '/api/stats': {
        get: { operationId: 'stats', parameters: queryParameters(statsQuery), responses: { '200': json('Per station, kind and unit', ref('Stats')), ...common } },
      },
    },
    components: { schemas: components() },
  };
}
